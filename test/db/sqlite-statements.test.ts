import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Prisma } from '../../src/db/repositories/sql.js';
import { keepStatements } from '../../src/db/sqlite-statements.js';
import { aPerson } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** A connection whose prepares are counted, keeping `kept` statements. */
function countedConnection(kept?: number): { connection: BetterSqlite3.Database; prepared: string[] } {
  const connection = new BetterSqlite3(':memory:');
  connection.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  const prepared: string[] = [];
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof connection.prepare;
  keepStatements(connection, kept);
  return { connection, prepared };
}

/** What the Prisma adapter does with a statement: bind the values, then read raw rows or run. */
const read = (connection: BetterSqlite3.Database, sql: string, args: unknown[]) => connection.prepare(sql).bind(args).raw().all();

describe('the SQLite connection keeping its prepared statements', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await database?.close();
    database = undefined;
  });

  it('prepares a text once and runs it with each use’s own values, reads and writes alike', () => {
    const { connection, prepared } = countedConnection();
    const byNumber = 'SELECT label FROM t WHERE n = ?';

    expect(read(connection, byNumber, [1])).toEqual([['one']]);
    expect(read(connection, byNumber, [3])).toEqual([['three']]);
    // A use is bound once; the next use of the same statement is not held to those values.
    const first = connection.prepare(byNumber).bind([2]);
    const second = connection.prepare(byNumber).bind([1]);
    expect([first.raw().all(), second.raw().all()]).toEqual([[['two']], [['one']]]);
    expect(
      connection
        .prepare(byNumber)
        .columns()
        .map((c) => c.name),
    ).toEqual(['label']);

    const insert = 'INSERT INTO t (n, label) VALUES (?, ?)';
    expect(connection.prepare(insert).bind([4, 'four']).run().changes).toBe(1);
    expect(connection.prepare(insert).bind([5, 'five']).run().changes).toBe(1);
    expect(connection.prepare(insert).reader).toBe(false);
    expect(connection.prepare(byNumber).reader).toBe(true);
    // A failed run leaves the statement usable.
    expect(() => connection.prepare(insert).bind([5, 'again']).run()).toThrow(/UNIQUE/);
    expect(connection.prepare(insert).bind([6, 'six']).run().changes).toBe(1);
    // Statements without values run as they are (the adapter's BEGIN).
    connection.prepare('BEGIN').run();
    connection.prepare('ROLLBACK').run();

    expect(read(connection, 'SELECT count(*) FROM t', [])).toEqual([[6]]);
    expect(prepared).toEqual([byNumber, insert, 'BEGIN', 'ROLLBACK', 'SELECT count(*) FROM t']);
    connection.close();
  });

  it('keeps the most recently used, dropping the least recently used past its limit', () => {
    const { connection, prepared } = countedConnection(2);
    const [a, b, c] = ['SELECT 1', 'SELECT 2', 'SELECT 3'];
    for (const sql of [a, b, a, c]) read(connection, sql, []); // c pushes out b, used before a
    expect(prepared).toEqual([a, b, c]);
    read(connection, a, []);
    read(connection, b, []); // prepared again, pushing out c
    read(connection, c, []);
    expect(prepared).toEqual([a, b, c, b, c]);
    connection.close();
  });

  it('is what createDatabase’s SQLite client runs its queries on', async () => {
    const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
    database = await createTestDatabase('sqlite');
    const prisma = database.prisma;
    const ana = await aPerson(prisma, { name: 'Ana Lopez', email: 'ana@contoso.com' });
    const bo = await aPerson(prisma, { name: 'Bo Chen', email: 'bo@contoso.com' });
    const nameOf = async (email: string) =>
      (await prisma.$queryRaw<Array<{ name: string }>>(Prisma.sql`SELECT "name" FROM "Person" WHERE "email" = ${email}`))[0]?.name;
    const preparedOf = (needle: string) => prepare.mock.calls.filter(([sql]) => String(sql).includes(needle)).length;

    expect([await nameOf(ana.email), await nameOf(bo.email), await nameOf('nobody@contoso.com')]).toEqual(['Ana Lopez', 'Bo Chen', undefined]);
    expect(preparedOf('SELECT "name" FROM "Person" WHERE "email"')).toBe(1);

    // Interactive transactions commit and roll back through the kept BEGIN, COMMIT and ROLLBACK.
    await prisma.$transaction(async (tx) => {
      await tx.person.update({ where: { id: ana.id }, data: { name: 'Ana López' } });
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.person.update({ where: { id: bo.id }, data: { name: 'Bo Chén' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await prisma.$transaction(async (tx) => {
      await tx.person.update({ where: { id: bo.id }, data: { slackUserId: 'U0BO' } });
    });
    expect(await prisma.person.findMany({ orderBy: { email: 'asc' }, select: { name: true, slackUserId: true } })).toEqual([
      { name: 'Ana López', slackUserId: null },
      { name: 'Bo Chen', slackUserId: 'U0BO' },
    ]);
    expect(preparedOf('BEGIN')).toBe(1);
  });
});
