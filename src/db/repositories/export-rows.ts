/**
 * The rows of `/purchases export`, read through the database's own driver (better-sqlite3, pg)
 * rather than Prisma. Why: Prisma's raw queries hand each row through its driver adapter and
 * query interpreter, about 35,000 rows a second here, so a 300,000-license product took ten
 * seconds to read; the drivers read several hundred thousand rows a second. Only this bulk read
 * goes around Prisma, on a connection of its own (read-only on SQLite, where WAL lets it read
 * beside the bot's writer), closed when the export ends.
 *
 * Rows come in keyset batches in (subscription id, license id) order, along the (productId, id)
 * and (subscriptionId, removedAt, id) indexes, with the user and purchaser in the same
 * statement: a batch first finishes the subscription it stopped in, then goes on with the
 * following subscriptions. The statements take a fixed number of parameters (a list of
 * subscription ids is one JSON parameter), and the event loop is free between batches.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { databaseUrlOf, providerOf, type Db } from '../client.js';
import { postgresTargetFromUrl, sqliteFilenameFromUrl } from '../migrate.js';

export interface ExportRow {
  id: string;
  subscriptionId: string;
  purchaser: { name: string; email: string } | null;
  userName: string;
  userEmail: string;
  assignedAt: Date;
}

/** What to export: a product's subscriptions, or subscriptions by id. */
export type ExportScope = { productId: string } | { subscriptionIds: string[] };

interface RawRow {
  id: string;
  subscriptionId: string;
  purchaserName: string | null;
  purchaserEmail: string | null;
  userName: string;
  userEmail: string;
  assignedAt: string | Date;
}

const COLUMNS = `
  SELECT a."id", s."id" AS "subscriptionId", pu."name" AS "purchaserName", pu."email" AS "purchaserEmail",
    u."name" AS "userName", u."email" AS "userEmail", a."assignedAt"
  FROM "Subscription" s
  JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL
  JOIN "Person" u ON u."id" = a."userId"
  LEFT JOIN "Person" pu ON pu."id" = s."purchaserId"`;

/** The two statements of a batch, with `?` for each parameter (numbered for PostgreSQL below). */
function statements(scope: ExportScope, dialect: 'sqlite' | 'postgresql') {
  const ids = dialect === 'postgresql' ? '(SELECT value FROM json_array_elements_text(?::json))' : '(SELECT value FROM json_each(?))';
  const inScope = 'productId' in scope ? 's."productId" = ?' : `s."id" IN ${ids}`;
  return {
    /** The rest of the subscription a batch stopped in: (subscription, after license id, limit). */
    rest: `${COLUMNS} WHERE s."id" = ? AND a."id" > ? ORDER BY a."id" LIMIT ?`,
    /** The following subscriptions: (scope, after subscription id, limit). */
    following: `${COLUMNS} WHERE ${inScope} AND s."id" > ? ORDER BY s."id", a."id" LIMIT ?`,
    scopeValue: 'productId' in scope ? scope.productId : JSON.stringify(scope.subscriptionIds),
  };
}

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

type Query = (sql: string, params: Array<string | number>) => Promise<RawRow[]>;

async function* batches(query: Query, scope: ExportScope, dialect: 'sqlite' | 'postgresql', size: number): AsyncGenerator<ExportRow[]> {
  const sql = statements(scope, dialect);
  const read = async (after: { subscriptionId: string; id: string } | undefined) => {
    const rows = after ? await query(sql.rest, [after.subscriptionId, after.id, size]) : [];
    if (rows.length < size) rows.push(...(await query(sql.following, [sql.scopeValue, after?.subscriptionId ?? '', size - rows.length])));
    return rows;
  };
  // The next batch is asked for before this one is handed over: on PostgreSQL the server finds
  // and sends it while the caller writes this one (the read and the CSV overlap, on two cores).
  let next: Promise<RawRow[]> | undefined = read(undefined);
  try {
    for (;;) {
      const rows: RawRow[] = await next;
      next = undefined;
      const last = rows[rows.length - 1];
      if (rows.length === size && last) next = read({ subscriptionId: last.subscriptionId, id: last.id });
      if (rows.length > 0) yield rows.map(toRow);
      if (!next) return;
    }
  } finally {
    // A caller that stops early leaves a read in flight: it ends before the connection closes.
    await next?.catch(() => undefined);
  }
}

function toRow(raw: RawRow): ExportRow {
  return {
    id: raw.id,
    subscriptionId: raw.subscriptionId,
    purchaser: raw.purchaserName === null ? null : { name: raw.purchaserName, email: raw.purchaserEmail ?? '' },
    userName: raw.userName,
    userEmail: raw.userEmail,
    // SQLite: the ISO text Prisma stored; PostgreSQL: parsed as UTC below.
    assignedAt: raw.assignedAt instanceof Date ? raw.assignedAt : new Date(raw.assignedAt),
  };
}

/** timestamp(3) without time zone holds UTC (as Prisma writes it); pg would read it in the process's zone. */
const utcTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The scope's current licenses with user and purchaser, `size` rows a batch, in (subscription, license) order. */
export async function* readExportRows(db: Db, scope: ExportScope, size: number): AsyncGenerator<ExportRow[]> {
  const url = databaseUrlOf(db);
  if (providerOf(db) === 'sqlite') {
    const sqlite = new BetterSqlite3(sqliteFilenameFromUrl(url), { readonly: true, fileMustExist: true, timeout: 5000 });
    const prepared = new Map<string, BetterSqlite3.Statement>();
    const query: Query = async (sql, params) => {
      let statement = prepared.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        prepared.set(sql, statement);
      }
      const rows = statement.all(...params) as RawRow[];
      // Lets other work run between batches: the reads themselves are synchronous.
      await new Promise((resolve) => setImmediate(resolve));
      return rows;
    };
    try {
      yield* batches(query, scope, 'sqlite', size);
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ ...postgresTargetFromUrl(url).config, types: utcTypes });
  await client.connect();
  try {
    yield* batches(async (sql, params) => (await client.query<RawRow>(numbered(sql), params)).rows, scope, 'postgresql', size);
  } finally {
    await client.end();
  }
}
