/**
 * The raw drivers the floors run on: better-sqlite3 on the same file, pg on the same schema.
 * SQL is written once with `?` placeholders; PostgreSQL gets them numbered.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { numbered } from '../src/db/repositories/export-rows.js';
import { sqliteDate } from './load.js';

export type Dialect = 'sqlite' | 'postgresql';
export type Param = string | number | boolean | Date | null;
export type Row = Record<string, unknown>;

export interface RawDb {
  dialect: Dialect;
  all(sql: string, params?: Param[]): Promise<Row[]>;
  /** Statements in one transaction. */
  transaction(statements: Array<[sql: string, params?: Param[]]>): Promise<void>;
  close(): Promise<void>;
}

export function openSqliteRaw(file: string): RawDb {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: Param[] = []) => params.map((p) => (p instanceof Date ? sqliteDate(p) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
  return {
    dialect: 'sqlite',
    all: async (sql, params) => {
      const statement = prepared(sql);
      if (!statement.reader) {
        statement.run(bind(params));
        return [];
      }
      return statement.all(bind(params)) as Row[];
    },
    transaction: async (list) => {
      db.transaction(() => {
        for (const [sql, params] of list) prepared(sql).run(bind(params));
      })();
    },
    close: async () => {
      db.close();
    },
  };
}

export async function openPostgresRaw(config: pg.ClientConfig, schema: string): Promise<RawDb> {
  const client = new pg.Client(config);
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  // timestamp(3) without time zone: an ISO instant (its offset ignored) is the UTC time Prisma stores.
  const bind = (params: Param[] = []) => params.map((p) => (p instanceof Date ? p.toISOString() : p));
  return {
    dialect: 'postgresql',
    all: async (sql, params) => (await client.query(numbered(sql), bind(params))).rows as Row[],
    transaction: async (list) => {
      await client.query('BEGIN');
      try {
        for (const [sql, params] of list) await client.query(numbered(sql), bind(params));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: () => client.end(),
  };
}
