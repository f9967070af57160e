/**
 * Bulk loading of the synthetic tenant, through the raw drivers: tens of thousands of rows a
 * statement, secondary indexes dropped during the load and rebuilt after (as a restore would).
 * The schema itself comes from the bot's own migrations (createDatabase ran before).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Cell, TableBatch } from './tenant.js';

const TABLES = ['Product', 'Person', 'Subscription', 'LicenseAssignment'];

/** How Prisma's SQLite adapter stores a DateTime: ISO 8601 text with an explicit offset. */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

function sqliteCell(value: Cell): string | number | null {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function loadSqlite(file: string, batches: Iterable<TableBatch>): void {
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    // The generator's rows are consistent by construction; checking a million references one by one is what makes loads slow.
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -262144');
    const placeholders = TABLES.map(() => '?').join(', ');
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders})`)
      .all(...TABLES) as Array<{ name: string; sql: string }>;
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    const statements = new Map<string, Database.Statement>();
    const insertBatch = db.transaction((batch: TableBatch) => {
      const key = `${batch.table}:${batch.columns.join(',')}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare(
          `INSERT INTO "${batch.table}" (${batch.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${batch.columns.map(() => '?').join(', ')})`,
        );
        statements.set(key, statement);
      }
      for (const row of batch.rows) statement.run(row.map(sqliteCell));
    });
    for (const batch of batches) insertBatch(batch);
    for (const index of indexes) db.exec(index.sql);
  } finally {
    db.close();
  }
}

function postgresCell(value: Cell): string | number | boolean | null {
  // timestamp(3) without time zone ignores the offset of its input: the UTC instant is stored, as Prisma does.
  return value instanceof Date ? value.toISOString() : value;
}

export async function loadPostgres(config: pg.ClientConfig, schema: string, batches: Iterable<TableBatch>): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    const types = new Map<string, string>();
    const columns = await client.query<{ table: string; column: string; type: string }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped`,
      [schema, TABLES],
    );
    for (const row of columns.rows) types.set(`${row.table}.${row.column}`, row.type);
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = $1 AND i.tablename = ANY($2)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.connamespace = $1::regnamespace)`,
      [schema, TABLES],
    );
    const constraints = await client.query<{ table: string; name: string; kind: string; definition: string }>(
      `SELECT c.relname AS table, k.conname AS name, k.contype AS kind, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE k.contype IN ('p', 'u', 'f') AND k.connamespace = $1::regnamespace AND c.relname = ANY($2)
       ORDER BY k.contype = 'f' DESC`,
      [schema, TABLES],
    );
    // Rebuilt after the load: one index build, and one join per foreign key, instead of work per row.
    for (const key of constraints.rows) await client.query(`ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`);
    for (const index of indexes.rows) await client.query(`DROP INDEX "${schema}"."${index.indexname}"`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query('SET synchronous_commit = off');
    for (const batch of batches) {
      // One array parameter per column (unnest), however many rows: a statement of 20,000 rows.
      const casts = batch.columns.map((c, i) => `$${i + 1}::${types.get(`${batch.table}.${c}`)}[]`);
      const values = batch.columns.map((_, i) => batch.rows.map((row) => postgresCell(row[i] ?? null)));
      await client.query(`INSERT INTO "${batch.table}" (${batch.columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`, values);
    }
    const [foreign, own] = [constraints.rows.filter((k) => k.kind === 'f'), constraints.rows.filter((k) => k.kind !== 'f')];
    for (const key of own) await client.query(`ALTER TABLE "${key.table}" ADD CONSTRAINT "${key.name}" ${key.definition}`);
    for (const index of indexes.rows) await client.query(index.indexdef);
    for (const key of foreign) await client.query(`ALTER TABLE "${key.table}" ADD CONSTRAINT "${key.name}" ${key.definition}`);
    // What autovacuum does after such a load: statistics for the planner, and the visibility map
    // that lets counts be answered from an index alone.
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}
