/**
 * The rows of `/purchases export`, read through the database's own driver (better-sqlite3, pg)
 * rather than Prisma. Why: Prisma's raw queries hand each row through its driver adapter and
 * query interpreter, about 35,000 rows a second here, so a 300,000-license product took ten
 * seconds to read; the drivers read several hundred thousand rows a second. Only this bulk read
 * goes around Prisma, on a connection of its own (read-only on SQLite, where WAL lets it read
 * beside the bot's writer), closed when the export ends.
 *
 * The rows come from one statement (not a query per batch), in (subscription id, license id)
 * order along the (productId, id) index, with the user in the same statement, and are handed
 * over `size` at a time: SQLite steps through it, PostgreSQL fetches from a cursor. Each row
 * carries only what differs from license to license; the purchasers of the scope's
 * subscriptions are read once beforehand, in the same transaction.
 * One statement is planned once, reads the tenant as it was when the export began, and takes
 * one parameter whatever the scope (a list of subscription ids is one JSON parameter). Small
 * batches (the caller's) keep little alive at once: rows held across many young-generation
 * collections are what made the process grow by 200 MB and more on a 275,000-row export.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { databaseUrlOf, providerOf, type Db } from '../client.js';
import { postgresTargetFromUrl, sqliteFilenameFromUrl } from '../migrate.js';

export interface ExportRow {
  subscriptionId: string;
  /** The subscription's purchaser (one object for all its rows); null for a central subscription. */
  purchaser: { name: string; email: string } | null;
  userName: string;
  userEmail: string;
  assignedAt: Date;
}

/** What to export: a product's subscriptions, or subscriptions by id. */
export type ExportScope = { productId: string } | { subscriptionIds: string[] };

/**
 * A row as the driver gives it, an array in ROWS' order: arrays cost the drivers less than
 * objects with named fields (no property per column per row). Only what changes from license to
 * license: the purchaser is the subscription's, read once (PURCHASERS), not once per license.
 */
type RawRow = [subscriptionId: string, userName: string, userEmail: string, assignedAt: string];
type RawPurchaser = [subscriptionId: string, name: string, email: string];

const ROWS = `
  SELECT s."id" AS "subscriptionId", u."name" AS "userName", u."email" AS "userEmail", a."assignedAt"
  FROM "Subscription" s
  JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL
  JOIN "Person" u ON u."id" = a."userId"`;

/** The purchaser of each subscription in scope that has one (one row per subscription). */
const PURCHASERS = `
  SELECT s."id", pu."name", pu."email"
  FROM "Subscription" s
  JOIN "Person" pu ON pu."id" = s."purchaserId"`;

/**
 * The scope's current licenses in (subscription, license) order and the scope's purchasers, with
 * `?` for their one parameter (numbered for PostgreSQL below).
 */
function statements(scope: ExportScope, dialect: 'sqlite' | 'postgresql'): { rows: string; purchasers: string; param: string } {
  const ids = dialect === 'postgresql' ? '(SELECT value FROM json_array_elements_text(?::json))' : '(SELECT value FROM json_each(?))';
  const inScope = 'productId' in scope ? 's."productId" = ?' : `s."id" IN ${ids}`;
  return {
    rows: `${ROWS} WHERE ${inScope} ORDER BY s."id", a."id"`,
    purchasers: `${PURCHASERS} WHERE ${inScope}`,
    param: 'productId' in scope ? scope.productId : JSON.stringify(scope.subscriptionIds),
  };
}

type Purchasers = Map<string, { name: string; email: string }>;

const purchasersOf = (rows: RawPurchaser[]): Purchasers => new Map(rows.map(([id, name, email]) => [id, { name, email }]));

/** `?` placeholders numbered as PostgreSQL's driver wants them (`$1`, `$2`, …). The SQL holds no other `?`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Rows a PostgreSQL FETCH asks for: each FETCH is a round trip, and at 1,000 rows a 277,000-row
 * export spent a fifth of its time waiting for them (4,000: 2.8 s against 3.5 s, no more memory).
 */
const FETCH_ROWS = 4000;

/** Lets other work run between batches: the SQLite reads themselves are synchronous. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * SQLite: one statement stepped through `size` rows at a time on a read-only connection of its
 * own, in one read transaction (a consistent snapshot; WAL lets the bot write meanwhile).
 */
async function* sqliteBatches(db: Db, scope: ExportScope, size: number): AsyncGenerator<ExportRow[]> {
  const sqlite = new BetterSqlite3(sqliteFilenameFromUrl(databaseUrlOf(db)), { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    // A page cache of 2 MB, not the driver's 16 MB: the rows are read once, in index order, and
    // the larger cache only grew the process (by 14 MB on a 277,000-row export, no faster).
    sqlite.pragma('cache_size = -2000');
    const { rows, purchasers: purchasersSql, param } = statements(scope, 'sqlite');
    // One read transaction: the purchasers and the licenses are of the same moment.
    sqlite.exec('BEGIN');
    const purchasers = purchasersOf(sqlite.prepare(purchasersSql).raw(true).all(param) as RawPurchaser[]);
    const timeOf = timeReader(sqliteTime);
    let batch: ExportRow[] = [];
    // raw(): arrays cost the driver less than objects with a property per column.
    for (const row of sqlite.prepare(rows).raw(true).iterate(param) as IterableIterator<RawRow>) {
      batch.push(toRow(row, purchasers, timeOf));
      if (batch.length === size) {
        yield batch;
        batch = [];
        await turn();
      }
    }
    if (batch.length > 0) yield batch;
    sqlite.exec('COMMIT');
  } finally {
    sqlite.close();
  }
}

/**
 * PostgreSQL: one statement behind a cursor in a read-only transaction (a consistent snapshot,
 * planned once), on a connection of its own, fetched FETCH_ROWS at a time and handed over `size`
 * at a time. The next FETCH is sent before a batch is handed over, so the server reads and sends
 * it while the caller writes this one (the read and the CSV overlap, on two cores).
 */
async function* postgresBatches(db: Db, scope: ExportScope, size: number, fetchRows: number): AsyncGenerator<ExportRow[]> {
  const client = new pg.Client({ ...postgresTargetFromUrl(databaseUrlOf(db)).config, types: utcTypes });
  // A connection the server ends between two queries (a restart, a network cut) is reported as an
  // 'error' event, which unheard would end the process: the next query fails instead.
  client.on('error', () => undefined);
  await client.connect();
  let next: Promise<RawRow[]> | undefined;
  try {
    const { rows: rowsSql, purchasers: purchasersSql, param } = statements(scope, 'postgresql');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const purchasers = purchasersOf((await client.query<RawPurchaser>({ text: numbered(purchasersSql), values: [param], rowMode: 'array' })).rows);
    const timeOf = timeReader(postgresTime);
    await client.query({ text: `DECLARE "export_rows" NO SCROLL CURSOR FOR ${numbered(rowsSql)}`, values: [param] });
    const fetch = async () => (await client.query<RawRow>({ text: `FETCH ${fetchRows} FROM "export_rows"`, rowMode: 'array' })).rows;
    next = fetch();
    next.catch(() => undefined);
    for (;;) {
      const rows: RawRow[] = await next;
      next = rows.length === fetchRows ? fetch() : undefined;
      // Failing while the caller writes this batch, it is thrown when awaited, not left unhandled.
      next?.catch(() => undefined);
      for (let start = 0; start < rows.length; start += size) {
        const batch: ExportRow[] = [];
        for (const row of rows.slice(start, start + size)) batch.push(toRow(row, purchasers, timeOf));
        yield batch;
      }
      if (!next) break;
    }
    await client.query('COMMIT');
  } finally {
    // A caller that stops early leaves a FETCH in flight: it ends before the connection closes
    // (which also ends the transaction and its cursor).
    await next?.catch(() => undefined);
    await client.end();
  }
}

function toRow([subscriptionId, userName, userEmail, assignedAt]: RawRow, purchasers: Purchasers, timeOf: (text: string) => Date): ExportRow {
  return { subscriptionId, purchaser: purchasers.get(subscriptionId) ?? null, userName, userEmail, assignedAt: timeOf(assignedAt) };
}

/**
 * The time of a row from the driver's text, made once for a run of rows with the same text (a
 * subscription's licenses are often given at one moment; those rows share one Date): parsing
 * each row's text was a Date and a string or two more per row.
 */
function timeReader(parse: (text: string) => Date): (text: string) => Date {
  let last: string | undefined;
  let date = new Date(Number.NaN);
  return (text) => {
    if (text !== last) {
      last = text;
      date = parse(text);
    }
    return date;
  };
}

/** SQLite: the ISO text Prisma stored (`2026-05-09T10:00:00.000+00:00`). */
const sqliteTime = (text: string) => new Date(text);

/**
 * PostgreSQL: timestamp(3) without time zone holds UTC (as Prisma writes it), as text
 * (`2026-05-09 10:00:00.123`): pg would read it in the process's zone, so pg hands it over as it
 * came (utcTypes) and it is read as UTC here.
 */
const postgresTime = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

const utcTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMP ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The scope's current licenses with user and purchaser, `size` rows a batch, in (subscription,
 * license) order. `fetchRows`: rows a PostgreSQL FETCH asks for (FETCH_ROWS, rounded up to whole batches).
 */
export function readExportRows(db: Db, scope: ExportScope, size: number, options: { fetchRows?: number } = {}): AsyncGenerator<ExportRow[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`readExportRows: a batch of ${size} rows`);
  return providerOf(db) === 'sqlite'
    ? sqliteBatches(db, scope, size)
    : postgresBatches(db, scope, size, Math.ceil((options.fetchRows ?? FETCH_ROWS) / size) * size);
}
