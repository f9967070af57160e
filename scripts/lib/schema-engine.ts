// Prisma's schema engine compiled to WASM (@prisma/schema-engine-wasm), loaded on Node 20 without
// the native binary that Prisma would download. Why, and the pitfalls numbered below:
// docs/decisions/engine-free-prisma.md. A development tool: the bot never loads it.
//
// What scripts/prisma-migration.ts needs is `diffDatabaseToSchema`, which compares a live
// database (reached through a Prisma driver adapter, as the WASM engine cannot open connections
// itself) with a Prisma schema and returns the SQL script that turns one into the other.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** Node's WebAssembly global, which @types/node 20 does not declare. */
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let modulePromise: Promise<EngineModule> | undefined;

/**
 * Loads the WASM engine once per process. The package's entry point does
 * `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20 cannot do, so the JS glue is
 * imported and the .wasm instantiated here.
 */
function loadSchemaEngineModule(): Promise<EngineModule> {
  modulePromise ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = (await import(glueUrl)) as EngineModule;
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const imports: Record<string, unknown> = { ...bg };
    // Pitfall 9: the engine arms a 10 s timer that it never clears; without unref a one-shot
    // command keeps the process alive for 10 s after its work is done.
    for (const [name, glue] of Object.entries(bg)) {
      if (name.startsWith('__wbg_setTimeout_') && typeof glue === 'function') {
        imports[name] = (...args: unknown[]) => {
          const timer = (glue as (...args: unknown[]) => { unref?: () => void } | undefined)(...args);
          timer?.unref?.();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return modulePromise;
}

/** PostgreSQL type ids: `"char"` (pg_catalog's one-byte type) and `text`. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** adapter-pg's internals that pitfall 2 is fixed in: every query of a connection goes through performIO. */
interface PgQueryable {
  performIO?: (query: unknown) => Promise<{ fields?: Array<{ dataTypeID: number }> }>;
  startTransaction?: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Pitfall 2: while describing a PostgreSQL schema, the engine reads pg_catalog columns of type
 * "char" (OID 18), which adapter-pg 7.10 refuses ("UnsupportedNativeDataType"). Their values are
 * plain strings, so report them as text (OID 25).
 */
function patchPgCharColumns<T>(queryable: T): T {
  const target = queryable as PgQueryable;
  const performIO = target.performIO?.bind(target);
  if (!performIO) return queryable;
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) target.startTransaction = async (...args) => patchPgCharColumns(await startTransaction(...args));
  return queryable;
}

/** Whether a script without parameters holds more than one statement. */
function isMultiStatement(sql: string): boolean {
  return /;\s*\S/.test(sql.trim().replace(/;\s*$/, ''));
}

/**
 * Wraps a Prisma driver-adapter factory so that every connection it hands to the engine is
 * tracked (and disposed at the end: pitfall 8, SQLite stays locked otherwise), multi-statement
 * `executeRaw` goes to `executeScript` on SQLite (pitfall 1), and "char" columns work on
 * PostgreSQL (pitfall 2). There is no shadow database: callers prepare the database themselves.
 */
function trackingFactory(factory: SqlDriverAdapterFactory) {
  const connections: SqlDriverAdapter[] = [];
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    connections.push(adapter);
    if (factory.provider === 'postgres') patchPgCharColumns(adapter);
    if (factory.provider === 'sqlite') {
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length === 0 && isMultiStatement(query.sql)) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        return executeRaw(query);
      };
    }
    return adapter;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => {
      throw new Error('This tool does not provide a shadow database; diff against a prepared database.');
    },
  };
  return {
    factory: wrapped,
    async disposeAll(): Promise<void> {
      for (const connection of connections.splice(0)) {
        await connection.dispose().catch(() => {
          // already closed
        });
      }
    },
  };
}

/** The most useful message of an error the engine or a driver raised. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}

/**
 * Pitfall 10: driver errors surface as "External error id#N"; the real error is in the
 * factory's error registry. Returns an Error whose message is the most useful one available.
 */
function explainEngineError(error: unknown, bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): Error {
  let message = messageOf(error);
  const match = /External error id#(\d+)/.exec(message);
  const cause = match
    ? (bound.errorRegistry.consumeError(Number(match[1]))?.error as { message?: string; cause?: { originalMessage?: string; message?: string } } | undefined)
    : undefined;
  if (cause) {
    const detail = cause.cause?.originalMessage ?? cause.cause?.message ?? cause.message ?? JSON.stringify(cause.cause ?? cause);
    message = `${message}: ${detail}`;
  }
  return new Error(`Prisma schema engine: ${message}`, { cause: error });
}

export interface SchemaEngineOptions {
  /** A PrismaBetterSqlite3 or PrismaPg instance: how the engine reaches the database. */
  adapterFactory: SqlDriverAdapterFactory;
  schemaPath: string;
  schemaText: string;
  log?: (line: string) => void;
}

/**
 * Runs `fn` with a WASM schema engine whose database connections come from `adapterFactory`.
 * The engine and every connection it opened are released afterwards, also when `fn` throws.
 */
export async function withSchemaEngine<T>(
  { adapterFactory, schemaPath, schemaText, log }: SchemaEngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const tracking = trackingFactory(adapterFactory);
  const bound = bindMigrationAwareSqlAdapterFactory(tracking.factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, (line: string) => log?.(line), bound);
    return await fn(engine);
  } catch (error) {
    throw explainEngineError(error, bound);
  } finally {
    try {
      engine?.free();
    } finally {
      await tracking.disposeAll();
    }
  }
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * The SQL that turns the database behind `adapterFactory` into what the schema describes
 * (`null` when there is nothing to do). Prisma's own `_prisma_migrations` table is ignored by
 * the engine.
 */
export async function diffDatabaseToSchema(options: Omit<SchemaEngineOptions, 'log'>): Promise<string | null> {
  const { schemaPath, schemaText } = options;
  return withSchemaEngine(options, async (engine) => {
    const result = await engine.diff({
      // The live database: the WASM engine reaches the "config datasource" through the adapter
      // factory ("url" targets are refused: "--from-url ... no longer supported").
      from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schemaText }], configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}
