/**
 * Copies the bot's record from a SQLite file into PostgreSQL (`npm run db:copy`): every table,
 * every row, ids kept, so the bot can move to PostgreSQL (e.g. to run several replicas) without
 * losing its history, digests' watermark or job claims.
 *
 * How: both databases are migrated to this version first (the bot would do that at start). The
 * SQLite file is read inside one read transaction (a snapshot: a bot still writing to it cannot
 * tear the copy) in batches of `batchSize` rows by rowid; each batch goes to PostgreSQL as ONE
 * JSON parameter (`json_populate_recordset`), so no statement's bind parameters grow with the
 * data. The whole copy is one PostgreSQL transaction: it lands whole or not at all. A target that
 * already holds rows is refused unless `replace` is set (then its rows are deleted first, in the
 * same transaction). Afterwards the row counts of both sides are compared.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { AppError } from '../domain/errors.js';
import { migratePostgres, migrateSqlite, postgresTargetFromUrl, providerOfUrl, sqliteFilenameFromUrl } from './migrate.js';
import { DERIVED_TABLES, RECOUNT_STATEMENTS } from './repositories/counters.js';

export interface CopyOptions {
  /** A `file:` URL. */
  from: string;
  /** A `postgres(ql)://` URL (`?schema=` honoured). */
  to: string;
  /** Delete what the target holds first, instead of refusing to copy into it. */
  replace?: boolean;
  /** Rows per statement (default 2,000). */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface CopyReport {
  /** Rows copied per table, in the order copied. */
  tables: Array<{ table: string; rows: number }>;
}

const MIGRATIONS_TABLE = '_prisma_migrations';
const DEFAULT_BATCH = 2_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The target's tables, each after every table it references: the order that meets every foreign key. */
async function tablesInInsertOrder(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string; refs: string[] }>(
    `SELECT c.relname AS name,
            array(SELECT DISTINCT r.relname FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
                  WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid)::text[] AS refs
       FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname <> $1`,
    [MIGRATIONS_TABLE],
  );
  const order: string[] = [];
  const left = new Map(rows.map((row) => [row.name, row.refs]));
  while (left.size > 0) {
    const ready = [...left.keys()].filter((name) => left.get(name)!.every((ref) => !left.has(ref)));
    if (ready.length === 0) throw new Error(`The foreign keys of ${[...left.keys()].join(', ')} form a cycle`);
    for (const name of ready.sort()) {
      order.push(name);
      left.delete(name);
    }
  }
  return order;
}

type Convert = (value: unknown) => unknown;

/** SQLite keeps booleans as 0/1 and dates as ISO text (or epoch milliseconds): what PostgreSQL's columns take. */
function converterFor(dataType: string): Convert {
  if (dataType === 'boolean') return (value) => (value === null ? null : value === 1 || value === true || value === '1' || value === 'true');
  if (dataType.startsWith('timestamp')) return (value) => (typeof value === 'number' ? new Date(value).toISOString() : value);
  return (value) => value;
}

async function columnsOf(client: pg.ClientBase, table: string): Promise<Array<{ name: string; convert: Convert }>> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => ({ name: row.column_name, convert: converterFor(row.data_type) }));
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (providerOfUrl(options.from) !== 'sqlite') {
    throw new AppError(
      'bad_input',
      'copy source is not SQLite',
      `--from must be a SQLite file URL such as file:./data/purchases.db (was ${options.from.split(':')[0]}:…).`,
    );
  }
  if (providerOfUrl(options.to) !== 'postgresql') {
    throw new AppError(
      'bad_input',
      'copy target is not PostgreSQL',
      '--to must be a PostgreSQL URL such as postgresql://user:password@host:5432/database (add ?schema=name for another schema than public).',
    );
  }
  await migrateSqlite(sqliteFilenameFromUrl(options.from), { log });
  await migratePostgres(options.to, { log });

  const source = new BetterSqlite3(sqliteFilenameFromUrl(options.from), { fileMustExist: true, timeout: 10_000 });
  const target = new pg.Client(postgresTargetFromUrl(options.to).config);
  await target.connect();
  const report: CopyReport = { tables: [] };
  try {
    const tables = await tablesInInsertOrder(target);
    // Emptied with the others (TRUNCATE fires no trigger), never copied: the target's triggers fill them.
    const toCopy = tables.filter((table) => !DERIVED_TABLES.includes(table));
    const known = new Set(source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const missing = toCopy.filter((table) => !known.has(table));
    if (missing.length > 0) throw new Error(`The SQLite file lacks the tables ${missing.join(', ')}: is it the bot's database?`);

    await target.query('BEGIN');
    const held: string[] = [];
    for (const table of tables) {
      const { rows } = await target.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`);
      if (rows.length > 0) held.push(table);
    }
    if (held.length > 0 && !options.replace) {
      throw new AppError(
        'bad_input',
        'copy target not empty',
        `The PostgreSQL database already holds rows (in ${held.join(', ')}). Copy into an empty database, or add --replace to delete what it holds first.`,
      );
    }
    if (held.length > 0) {
      await target.query(`TRUNCATE ${tables.map(quote).join(', ')}`);
      log(`Deleted what the target held (${held.join(', ')}).`);
    }

    // One read transaction over the whole copy: every table as of the same moment.
    source.exec('BEGIN');
    try {
      for (const table of toCopy) {
        const columns = await columnsOf(target, table);
        const names = columns.map((column) => quote(column.name)).join(', ');
        const read = source.prepare(`SELECT rowid AS "__rowid", ${names} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
        const insert = `INSERT INTO ${quote(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`;
        let after = Number.MIN_SAFE_INTEGER;
        let copied = 0;
        for (;;) {
          const batch = read.all(after, batchSize) as Array<Record<string, unknown>>;
          if (batch.length === 0) break;
          after = batch.at(-1)!.__rowid as number;
          const rows = batch.map((row) => Object.fromEntries(columns.map((column) => [column.name, column.convert(row[column.name])])));
          await target.query(insert, [JSON.stringify(rows)]);
          copied += batch.length;
        }
        report.tables.push({ table, rows: copied });
        log(`${table}: ${copied} rows`);
      }
    } finally {
      source.exec('COMMIT');
    }
    // The subscriptions and totals came with their counts, and the triggers counted each row
    // again as it arrived: count once more.
    for (const statement of RECOUNT_STATEMENTS.postgresql) await target.query(statement);
    for (const { table, rows } of report.tables) {
      const { rows: counted } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
      if (Number(counted[0]!.n) !== rows) throw new Error(`${table}: ${rows} rows read, ${counted[0]!.n} in the target`);
    }
    await target.query('COMMIT');
    return report;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    source.close();
    await target.end();
  }
}
