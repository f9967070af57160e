/**
 * Finding people by the start of their words (PersonWord, kept by triggers: counters.ts). A
 * prefix is a range of the word index (`word >= prefix AND word < prefix-next`), which both
 * databases seek; a LIKE is a scan on SQLite and, outside the "C" collation, on PostgreSQL. Each
 * prefix is a few bind parameters, however many people match.
 */
import { afterWordPrefix } from '../../domain/words.js';
import type { Db } from '../client.js';
import { Prisma } from './sql.js';

function startsWith(column: Prisma.Sql, prefix: string): Prisma.Sql {
  return Prisma.sql`${column} >= ${prefix} AND ${column} < ${afterWordPrefix(prefix)}`;
}

/** The person `personId` (an SQL expression) has a word starting with each of `prefixes`. */
export function hasWordsStarting(personId: Prisma.Sql, prefixes: readonly string[]): Prisma.Sql[] {
  return prefixes.map(
    (prefix) => Prisma.sql`EXISTS (SELECT 1 FROM "PersonWord" w WHERE w."personId" = ${personId} AND ${startsWith(Prisma.sql`w."word"`, prefix)})`,
  );
}

/**
 * Conditions that pick each person matching every prefix once, from `m`, a PersonWord row read
 * in the first prefix's range: `m` is the person's first word there (a person may have two words
 * with that start), and the person has a word starting with each other prefix. `person` is the
 * person's id as the query has it: a purchaser column joined to `m."personId"` makes SQLite ask
 * these of purchasers only, after the join, instead of every person the range holds.
 */
export function firstWordMatching(prefixes: readonly string[], person: Prisma.Sql = Prisma.sql`m."personId"`): Prisma.Sql[] {
  const [first, ...others] = prefixes;
  if (first === undefined) throw new Error('no prefix to look for');
  return [
    startsWith(Prisma.sql`m."word"`, first),
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "PersonWord" d WHERE d."personId" = ${person} AND d."word" >= ${first} AND d."word" < m."word")`,
    ...hasWordsStarting(person, others),
  ];
}

/** Whether anyone who bought a subscription has a word starting with each of `prefixes`. */
export async function anyPurchaserWithWords(db: Db, prefixes: readonly string[]): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "PersonWord" m
    WHERE ${Prisma.join(firstWordMatching(prefixes), ' AND ')}
      AND EXISTS (SELECT 1 FROM "Subscription" s WHERE s."purchaserId" = m."personId")
    LIMIT 1`;
  return rows.length > 0;
}
