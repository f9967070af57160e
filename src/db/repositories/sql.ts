/**
 * For the queries written in SQL (where Prisma's query API cannot express them or reads far more
 * than they need; each says why): the fragments whose spelling differs between SQLite and
 * PostgreSQL, and the conversions of what raw queries return.
 */
import { providerOf, type Db } from '../client.js';
import { Prisma } from '../generated/sqlite/client.js';

export { Prisma };

/** A new lower-case version-4 uuid for each row, made by the database (INSERT … SELECT). */
export function newUuid(db: Db): Prisma.Sql {
  if (providerOf(db) === 'postgresql') return Prisma.sql`gen_random_uuid()::text`;
  return Prisma.sql`lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
}

/**
 * Strings as a one-column table (`value`) from ONE bind parameter, a JSON array: a list of
 * thousands of ids never meets SQLite's limit of bind parameters (P2029).
 */
export function valuesTable(db: Db, values: readonly string[]): Prisma.Sql {
  const json = JSON.stringify(values);
  return providerOf(db) === 'postgresql'
    ? Prisma.sql`(SELECT value FROM json_array_elements_text(${json}::json))`
    : Prisma.sql`(SELECT value FROM json_each(${json}))`;
}

/**
 * A LIMIT written into the statement, not bound: SQLite plans a sub-select's LIMIT it can read
 * better than a bound one (at 100k, a list page 0.48 → 0.33 ms, the purchaser page's count of
 * word matches 1.28 → 1.00 ms). Only for counts the code computes: anything else throws.
 */
export function limitOf(rows: number): Prisma.Sql {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`not a row count: ${rows}`);
  return Prisma.raw(String(rows));
}

/** A count as raw queries return it: bigint from both databases. */
export function toCount(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/**
 * Makes the writers of `table` take turns until the caller's transaction ends: a second one waits
 * here for the first to commit, and then sees what it wrote. PostgreSQL: SHARE ROW EXCLUSIVE, a
 * lock that only writers of the table wait for (it is read meanwhile), and one only a transaction
 * can hold. SQLite's one writer is one at a time already.
 */
export async function takeWritersTurn(db: Db, table: 'ImportRun' | 'SpendDay'): Promise<void> {
  if (providerOf(db) === 'postgresql') await db.$executeRaw`LOCK TABLE ${Prisma.raw(`"${table}"`)} IN SHARE ROW EXCLUSIVE MODE`;
}
