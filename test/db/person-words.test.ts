/**
 * PersonWord, each person's words, kept by triggers on Person (migration
 * 20261202062828_person_words) whoever writes: the same words as `personWords` in JavaScript, on
 * both databases. This also fails when a later migration rebuilds Person and so drops the
 * triggers without creating them again.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { migrate, migrationsDirFor } from '../../src/db/migrate.js';
import { RECOUNT_STATEMENTS } from '../../src/db/repositories/counters.js';
import { FOLDED_CHARACTERS, personWords } from '../../src/domain/words.js';
import { aPerson, manyPeople } from '../support/builders.js';
import { createEmptyTestDatabase, dialectProviders, useTestDatabase } from '../support/database.js';

/** Names that take every path of the folding: ASCII, accents, other scripts, separators, odd characters. */
const ODD_PEOPLE = [
  { name: 'Ana LOPEZ', email: 'ana.lopez@contoso.com' },
  { name: "Zoë O'Brien-Smith", email: 'zoe_obrien+tag@contoso.co.uk' },
  { name: 'ÉMILE Durand', email: 'emile.durand@contoso.fr' },
  { name: 'Đức Nguyễn', email: 'duc.nguyen@contoso.vn' },
  // Decomposed: an e and a combining acute accent.
  { name: 'Jose\u0301 Garci\u0301a', email: 'jose@contoso.es' },
  { name: 'ΆΡΗΣ Παπαδόπουλος', email: 'aris@contoso.gr' },
  { name: 'Дмитрий ЙОЛКИН', email: 'dmitri@contoso.ru' },
  { name: 'Hiro "Quotes" \\Back\\slash\ttab\nline', email: 'hiro@contoso.jp' },
  { name: 'İbrahim Şahin 🙂 Ωmega “curly” Meera’s', email: 'ibrahim@contoso.tr' },
  { name: 'Ⴀ Georgian капитал Ա', email: 'odd@contoso.test' },
  { name: '', email: 'no-name@contoso.test' },
];

describe.each(dialectProviders)('the words of each person on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('keeps the words in code point order, whatever the database orders text by', async () => {
    // A word's start is a range (word >= 'lopez' AND word < 'lope{'): under a linguistic collation
    // such as en_US, '{' weighs nothing and 'lopez' falls outside its own range.
    const [row] =
      provider === 'postgresql'
        ? await database.prisma.$queryRaw<Array<{ collation: string | null }>>`
            SELECT collation_name AS "collation" FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'PersonWord' AND column_name = 'word'`
        : [{ collation: 'BINARY' }];
    expect(row?.collation).toBe(provider === 'postgresql' ? 'C' : 'BINARY');
  });

  /** Each person's kept words, sorted, beside the words JavaScript makes of their name and email. */
  async function wordsOf(ids: string[]) {
    const prisma = database.prisma;
    const people = await prisma.person.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    const kept = await prisma.personWord.findMany({ where: { personId: { in: ids } } });
    return people.map((p) => ({
      name: p.name,
      kept: kept
        .filter((w) => w.personId === p.id)
        .map((w) => w.word)
        .sort(),
      expected: personWords(p.name, p.email).sort(),
    }));
  }

  const agree = (rows: Array<{ kept: string[]; expected: string[] }>) => {
    for (const row of rows) expect(row.kept).toEqual(row.expected);
  };

  it('are the words JavaScript makes of the name and email, for ASCII, accents, other scripts and odd characters', async () => {
    const people = [];
    for (const person of ODD_PEOPLE) people.push(await aPerson(database.prisma, person));
    const rows = await wordsOf(people.map((p) => p.id));
    agree(rows);
    const byName = new Map(rows.map((row) => [row.name, row.kept]));
    expect(byName.get('Ana LOPEZ')).toEqual(['ana', 'com', 'contoso', 'lopez']);
    expect(byName.get("Zoë O'Brien-Smith")).toEqual(['brien', 'co', 'contoso', 'o', 'obrien', 'smith', 'tag', 'uk', 'zoe']);
    expect(byName.get('Đức Nguyễn')).toContain('nguyen');
    expect(byName.get('Jose\u0301 Garci\u0301a')).toEqual(['contoso', 'es', 'garcia', 'jose']);
    expect(byName.get('ΆΡΗΣ Παπαδόπουλος')).toContain('αρησ');
    expect(byName.get('Дмитрий ЙОЛКИН')).toContain('йолкин');
  });

  it('fold every character of the table as JavaScript does', async () => {
    // Every character the table folds, in words of 40 so that a wrong one is easy to find.
    const characters = [...FOLDED_CHARACTERS.keys()];
    const people = [];
    for (let i = 0; i < characters.length; i += 40) {
      people.push(await aPerson(database.prisma, { name: `x${characters.slice(i, i + 40).join('')}x` }));
    }
    agree(await wordsOf(people.map((p) => p.id)));
  });

  it('follow inserts one by one and in bulk, renames, email changes and deletes', async () => {
    const prisma = database.prisma;
    const meera = await aPerson(prisma, { name: 'Meera Desai', email: 'meera.desai@contoso.com' });
    const bulk = await manyPeople(prisma, 3, 'Bulk Person');
    const ids = [meera.id, ...bulk];
    agree(await wordsOf(ids));

    await prisma.person.update({ where: { id: meera.id }, data: { name: 'Meera Kapoor' } });
    await prisma.person.updateMany({ where: { id: bulk[0]! }, data: { email: 'renamed@fabrikam.com' } });
    // Another column: the words stay.
    await prisma.person.update({ where: { id: bulk[1]! }, data: { accountEnabled: false } });
    const rows = await wordsOf(ids);
    agree(rows);
    expect(rows.find((row) => row.name === 'Meera Kapoor')!.kept).toEqual(['com', 'contoso', 'desai', 'kapoor', 'meera']);
    expect(rows.find((row) => row.name === 'Bulk Person 0000')!.kept).toEqual(['0000', 'bulk', 'com', 'fabrikam', 'person', 'renamed']);

    await prisma.person.delete({ where: { id: meera.id } });
    await prisma.person.deleteMany({ where: { id: bulk[2]! } });
    expect(await prisma.personWord.count({ where: { personId: { in: [meera.id, bulk[2]!] } } })).toBe(0);
    agree(await wordsOf(bulk.slice(0, 2)));
  });

  it('are made again by the recount statements after a load that went around the triggers', async () => {
    const prisma = database.prisma;
    const people = [];
    for (const person of ODD_PEOPLE.slice(0, 6)) people.push(await aPerson(prisma, person));
    await prisma.personWord.deleteMany({ where: { personId: people[0]!.id } });
    await prisma.personWord.create({ data: { personId: people[1]!.id, word: 'stale' } });
    await prisma.personWord.create({ data: { personId: 'gone', word: 'orphan' } });

    for (const statement of RECOUNT_STATEMENTS[provider]) await prisma.$executeRawUnsafe(statement);

    agree(await wordsOf(people.map((p) => p.id)));
    expect(await prisma.personWord.count({ where: { personId: 'gone' } })).toBe(0);
  });
});

describe.each(dialectProviders)('the migration that adds the words on %s', (provider) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('fills them for the people already known', async () => {
    const empty = await createEmptyTestDatabase(provider);
    cleanups.push(() => empty.drop());
    // The migrations before this one, then people, then the rest.
    const before = mkdtempSync(path.join(os.tmpdir(), 'ssp-migrations-'));
    cleanups.push(() => rmSync(before, { recursive: true, force: true }));
    cpSync(migrationsDirFor(provider), before, {
      recursive: true,
      filter: (source) => !/\d{14}_/.test(path.basename(source)) || path.basename(source) < '20261202062828',
    });
    await migrate(empty.url, { migrationsDir: before });
    const database = await createDatabase(empty.url, { migrate: false });
    cleanups.push(() => database.close());
    await database.prisma.$executeRawUnsafe(
      `INSERT INTO "Person" ("id", "name", "searchName", "email") VALUES ('p1', 'Émile DURAND', '', 'emile.durand@contoso.fr'), ('p2', 'Meera Desai', '', 'meera@contoso.com')`,
    );

    expect((await migrate(empty.url)).applied).toContain('20261202062828_person_words');

    const words = await database.prisma.personWord.findMany({ orderBy: [{ personId: 'asc' }, { word: 'asc' }] });
    expect(words.map((w) => `${w.personId}:${w.word}`)).toEqual([
      ...personWords('Émile DURAND', 'emile.durand@contoso.fr')
        .sort()
        .map((w) => `p1:${w}`),
      ...personWords('Meera Desai', 'meera@contoso.com')
        .sort()
        .map((w) => `p2:${w}`),
    ]);
    expect(words.filter((w) => w.personId === 'p1').map((w) => w.word)).toEqual(['contoso', 'durand', 'emile', 'fr']);
  });
});
