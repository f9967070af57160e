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

/** A count as raw queries return it: bigint from both databases. */
export function toCount(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
