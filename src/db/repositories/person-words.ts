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
 * with that start), and the person has a word starting with each other prefix.
 */
export function firstWordMatching(prefixes: readonly string[]): Prisma.Sql[] {
  const person = Prisma.sql`m."personId"`;
  const [first, ...others] = prefixes;
  if (first === undefined) throw new Error('no prefix to look for');
  return [
    startsWith(Prisma.sql`m."word"`, first),
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "PersonWord" d WHERE d."personId" = ${person} AND d."word" >= ${first} AND d."word" < m."word")`,
    ...hasWordsStarting(person, others),
  ];
}

/**
 * Each person with a word starting with `prefix` once, as `m` ("personId"): the prefix's range of
 * the word index, read in word order, a person kept the first time they come up. SQLite reads it
 * as it goes (a join can stop at its LIMIT), keeping the people seen in a temporary b-tree: cheaper
 * than asking the word index, for each row, whether the person had an earlier word there.
 * PostgreSQL would gather the whole range first: it asks for a person's first word instead
 * (firstWordMatching).
 */
export function peopleWithWordStarting(prefix: string): Prisma.Sql {
  return Prisma.sql`(SELECT DISTINCT m."personId" FROM "PersonWord" m WHERE ${startsWith(Prisma.sql`m."word"`, prefix)}) m`;
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
