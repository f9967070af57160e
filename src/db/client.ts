/**
 * Opens the database named by DATABASE_URL: SQLite (`file:./data/x.db`) through better-sqlite3,
 * or PostgreSQL (`postgres://` / `postgresql://`) through pg, each with its own generated Prisma
 * client (a client generated for one provider refuses the other's adapter:
 * docs/decisions/one-schema-two-providers.md). Pending migrations are applied first unless
 * `migrate: false`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.js';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';
import { PrismaBetterSqlite3KeepingStatements } from './sqlite-statements.js';
import { migrate, postgresTargetFromUrl, providerOfUrl, sqliteFilenameFromUrl, unsupportedDatabaseUrl } from './migrate.js';
import type { DatabaseProvider } from './migrate.js';

/**
 * The API every caller uses: the SQLite client's type (the PostgreSQL client has the same API).
 * Only src/db imports the generated clients; everything else takes these types from here.
 */
export type PrismaClient = SqlitePrismaClient;
export type { DatabaseProvider };
/** Prisma's input and payload types (`Prisma.SubscriptionWhereInput`, ...) and the row types. */
export type { LicenseAssignment, Person, Prisma, Product, Subscription } from './generated/sqlite/client.js';

/** The client handed to `prisma.$transaction(async (tx) => ...)` callbacks. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Either a client or a transaction client: for repository functions that work in both. */
export type Db = PrismaClient | Tx;

export interface Database {
  prisma: PrismaClient;
  provider: DatabaseProvider;
  /** Disconnects. Safe to call unbound (`const { close } = database`) and more than once. */
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Receives a line per applied migration; silent by default. */
  log?: (line: string) => void;
}

/** SQLite busy timeout: how long a writer waits for another one before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

export async function createDatabase(url: string, options: CreateDatabaseOptions = {}): Promise<Database> {
  const provider = providerOfUrl(url);
  if (provider === undefined) throw unsupportedDatabaseUrl(url);
  if (options.migrate ?? true) await migrate(url, options.log ? { log: options.log } : {});

  if (provider === 'sqlite') {
    const filename = sqliteFilenameFromUrl(url);
    if (filename !== ':memory:') mkdirSync(path.dirname(filename), { recursive: true });
    // The adapter passes every option but `url` to better-sqlite3's constructor: `timeout` is
    // the busy timeout. better-sqlite3 is built with foreign keys on by default; WAL is a
    // property of the file (the migrator sets it). Both are asserted below all the same, on the
    // adapter's one connection, which keeps its prepared statements (sqlite-statements.ts).
    const adapter = new PrismaBetterSqlite3KeepingStatements({ url: `file:${filename}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const prisma = new SqlitePrismaClient({ adapter });
    try {
      await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
      if (filename !== ':memory:') await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    } catch (error) {
      await prisma.$disconnect();
      throw error;
    }
    return withClose(prisma, 'sqlite', url);
  }

  // `?schema=name` (Prisma's URL convention) qualifies the client's queries and, through the
  // search_path, raw SQL too.
  const { config, schema } = postgresTargetFromUrl(url);
  const adapter = new PrismaPg(config, schema ? { schema } : undefined);
  // The PostgreSQL client is generated from the same models (prisma/postgresql/schema.prisma is
  // derived from prisma/schema.prisma), so its API is the SQLite client's; only the provider
  // baked into it differs. The type system cannot see that, hence the cast.
  const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  return withClose(prisma, 'postgresql', url);
}

/** Where a client says which database it talks to: transaction clients read it from their parent. */
const PROVIDER = Symbol('database provider');

/**
 * The database a client (or a transaction client) of createDatabase talks to, for the few
 * repository queries whose SQL differs between SQLite and PostgreSQL.
 */
export function providerOf(db: Db): DatabaseProvider {
  const provider = (db as unknown as Record<symbol, DatabaseProvider | undefined>)[PROVIDER];
  if (!provider) throw new Error('This Prisma client was not made by createDatabase: its database is unknown');
  return provider;
}

/** Where a client says which DATABASE_URL it opened. */
const URL_OF = Symbol('database url');

/**
 * The DATABASE_URL a client of createDatabase opened, for the one reader that goes around
 * Prisma to the driver itself (the export: repositories/export-rows.ts says why).
 */
export function databaseUrlOf(db: Db): string {
  const url = (db as unknown as Record<symbol, string | undefined>)[URL_OF];
  if (!url) throw new Error('This Prisma client was not made by createDatabase: its database is unknown');
  return url;
}

function withClose(prisma: PrismaClient, provider: DatabaseProvider, url: string): Database {
  Object.defineProperty(prisma, PROVIDER, { value: provider });
  Object.defineProperty(prisma, URL_OF, { value: url });
  let closing: Promise<void> | undefined;
  return {
    prisma,
    provider,
    close: () => (closing ??= prisma.$disconnect()),
  };
}
