/**
 * Prepared statements kept for reuse on the SQLite connection Prisma's adapter opens.
 *
 * @prisma/adapter-better-sqlite3 (7.10) prepares every query afresh: SQLite parses and plans the
 * SQL again each time, which for the list's one-statement pages (CTEs, a UNION, three joins) is
 * about a quarter of the statement's whole cost, more than reading the page. Every other driver
 * keeps its statements (better-sqlite3's own guidance is to prepare once), so this connection
 * does too: the last STATEMENTS_KEPT statements by their SQL text, the least recently used
 * dropped first. Prisma writes the same text for the same query (values are bind parameters),
 * so the cache holds the bot's few dozen queries.
 *
 * The adapter binds a statement's values for good (`prepare(sql).bind(args)`), which a kept
 * statement cannot take twice: what `prepare` hands back is a statement's use, carrying its
 * values to each run. It offers what the adapter calls (connect() checks that its connection is
 * where this expects it, so an upgrade that moves it fails at start, not on a query).
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

/** How many statements a connection keeps. */
export const STATEMENTS_KEPT = 100;

type Statement = BetterSqlite3.Statement<unknown[]>;

/** One use of a kept statement: the values bound to it are this use's alone. */
class StatementUse {
  constructor(
    private readonly statement: Statement,
    private readonly args: unknown[] = [],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  columns(): BetterSqlite3.ColumnDefinition[] {
    return this.statement.columns();
  }

  bind(args: unknown[]): StatementUse {
    return new StatementUse(this.statement, args);
  }

  run(): BetterSqlite3.RunResult {
    return this.statement.run(this.args);
  }

  raw(): { all(): unknown[] } {
    return { all: () => this.statement.raw(true).all(this.args) };
  }
}

/** Makes `connection.prepare` hand out uses of statements kept by their SQL text. */
export function keepStatements(connection: BetterSqlite3.Database, kept = STATEMENTS_KEPT): void {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, Statement>();
  const reuse = (sql: string): StatementUse => {
    let statement = statements.get(sql);
    if (statement) statements.delete(sql);
    else {
      statement = prepare<unknown[]>(sql);
      if (statements.size >= kept) statements.delete(statements.keys().next().value!);
    }
    // Last in the map's order: the most recently used.
    statements.set(sql, statement);
    return new StatementUse(statement);
  };
  connection.prepare = reuse as unknown as typeof connection.prepare;
}

/** PrismaBetterSqlite3, its connections keeping their statements. */
export class PrismaBetterSqlite3KeepingStatements extends PrismaBetterSqlite3 {
  override async connect(): ReturnType<PrismaBetterSqlite3['connect']> {
    const adapter = await super.connect();
    const connection = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
    if (typeof connection?.prepare !== 'function') {
      await adapter.dispose();
      throw new Error('@prisma/adapter-better-sqlite3 no longer keeps its connection as `client`: src/db/sqlite-statements.ts needs updating');
    }
    keepStatements(connection);
    return adapter;
  }
}
