/**
 * `npm run bench`: builds the synthetic tenant (bench/tenant.ts) on SQLite and, when it answers,
 * on PostgreSQL (a schema of its own, dropped after), and times every operation through the
 * services the listeners and jobs call against its floor, the same answer from hand-written SQL
 * through the raw driver. Runs the 10k tenant first to show how times grow to BENCH_SIZE.
 * Prints a table per database and writes bench/results.json. Never part of `npm test`.
 *
 *   BENCH_SIZE=10k|100k|1m   (default 100k)     BENCH_DATABASES=sqlite,postgresql
 *   BENCH_ONLY=<text>        only the operations whose name contains it; their results replace
 *                            theirs in bench/results.json (marked partialRun), the rest stay
 *   BENCH_POSTGRES_URL       default postgresql://postgres@127.0.0.1:5432/test
 *   BENCH_KEEP=1             keep the built tenants and print their DATABASE_URL (e.g. to run
 *                            bench/export-run.ts against one); drop them by hand afterwards
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { createDatabase, type Database } from '../src/db/client.js';
import { postgresTargetFromUrl } from '../src/db/migrate.js';
import { startSlackEmulator } from '../src/devkit/slack-emulator/index.js';
import { loadPostgres, loadSqlite } from './load.js';
import { measures, TARGETS, targetMet, type Kind } from './measures.js';
import { openPostgresRaw, openSqliteRaw, type Dialect, type RawDb } from './raw.js';
import { BENCH_NOW, BIG_PRODUCT, completeFacts, SIZES, tenantBatches, type SizeName, type TenantFacts } from './tenant.js';
import { timeMeasure, type Outcome, type Timing } from './timing.js';

const env = z
  .object({
    BENCH_SIZE: z.enum(Object.keys(SIZES) as [SizeName, ...SizeName[]]).default('100k'),
    BENCH_DATABASES: z
      .string()
      .default('sqlite,postgresql')
      .transform((s) => s.split(',').map((d) => d.trim()))
      .pipe(z.array(z.enum(['sqlite', 'postgresql'])).min(1)),
    BENCH_ONLY: z.string().optional(),
    BENCH_POSTGRES_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/test'),
    BENCH_KEEP: z.enum(['0', '1']).default('0'),
  })
  .parse(process.env);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

interface Opened {
  url: string;
  database: Database;
  raw: RawDb;
  facts: TenantFacts;
  buildSeconds: number;
  drop(): Promise<void>;
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ ...postgresTargetFromUrl(env.BENCH_POSTGRES_URL).config, connectionTimeoutMillis: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function build(dialect: Dialect, size: SizeName): Promise<Opened> {
  const started = performance.now();
  const facts: Partial<TenantFacts> = {};
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'purchases-bench-'));
    const file = path.join(dir, 'bench.db');
    const url = `file:${file}`;
    await (await createDatabase(url)).close();
    loadSqlite(file, tenantBatches(size, facts));
    const buildSeconds = (performance.now() - started) / 1000;
    const database = await createDatabase(url, { migrate: false });
    return {
      url,
      database,
      raw: openSqliteRaw(file),
      facts: completeFacts(facts),
      buildSeconds,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const base = new URL(env.BENCH_POSTGRES_URL);
  base.searchParams.set('schema', schema);
  const url = base.toString();
  const { config } = postgresTargetFromUrl(env.BENCH_POSTGRES_URL);
  const drop = async () => {
    const client = new pg.Client(config);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  };
  try {
    await (await createDatabase(url)).close();
    await loadPostgres(config, schema, tenantBatches(size, facts));
  } catch (error) {
    await drop();
    throw error;
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const database = await createDatabase(url, { migrate: false });
  return { url, database, raw: await openPostgresRaw(config, schema), facts: completeFacts(facts), buildSeconds, drop };
}

interface ExportRun {
  rows: number;
  bytes: number;
  ms: number;
  baselineRssMb: number;
  peakRssMb: number;
}

async function exportOnce(mode: 'bot' | 'floor', url: string, slackApiUrl: string): Promise<ExportRun> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(root, 'bench/export-run.ts'), mode, url, BIG_PRODUCT, slackApiUrl], {
    cwd: root,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ExportRun;
}

interface ExportOutcome {
  rows: number;
  rowsPerSecond: number;
  /** The process's resident memory before the export, and at its peak. */
  baselineRssMb: number;
  peakRssMb: number;
}

async function timeExport(mode: 'bot' | 'floor', url: string, slackApiUrl: string): Promise<ExportOutcome | { error: string }> {
  try {
    const runs = [await exportOnce(mode, url, slackApiUrl), await exportOnce(mode, url, slackApiUrl)];
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const worst = runs.reduce((a, b) => (a.peakRssMb - a.baselineRssMb >= b.peakRssMb - b.baselineRssMb ? a : b));
    return { rows: best.rows, rowsPerSecond: best.rows / (best.ms / 1000), baselineRssMb: worst.baselineRssMb, peakRssMb: worst.peakRssMb };
  } catch (error) {
    const text = String((error as { stderr?: string }).stderr || error);
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('at ') && !l.startsWith('Node.js '));
    return { error: (lines.filter((l) => /error|exceeded|P\d{4}/i.test(l)).at(-1) ?? lines.at(-1) ?? 'failed').slice(0, 160) };
  }
}

interface MeasureResult {
  name: string;
  kind: Kind | 'export';
  floorIs: string;
  bot: Outcome | ExportOutcome | { error: string };
  floor?: Outcome | ExportOutcome | { error: string };
  small?: Outcome | ExportOutcome | { error: string };
}

interface DatabaseResult {
  dialect: Dialect;
  size: SizeName;
  buildSeconds: number;
  counts: TenantFacts['counts'];
  /** The database's size on disk once built, indexes included (sizing). */
  databaseMb: number;
  measures: MeasureResult[];
}

/** The tenant's size on disk: SQLite's pages; PostgreSQL's tables of the schema with their indexes and TOAST. */
async function databaseMb(raw: RawDb): Promise<number> {
  const [row] = await raw.all(
    raw.dialect === 'sqlite'
      ? 'SELECT p.page_count * s.page_size AS bytes FROM pragma_page_count() p, pragma_page_size() s'
      : `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'`,
  );
  return Math.round(Number(row?.bytes ?? 0) / 1024 / 1024);
}

const wanted = (name: string) => !env.BENCH_ONLY || name.toLowerCase().includes(env.BENCH_ONLY.toLowerCase());

async function bench(dialect: Dialect, size: SizeName, withFloors: boolean, slackApiUrl: string): Promise<DatabaseResult> {
  process.stdout.write(`${dialect} ${size}: building the tenant… `);
  const opened = await build(dialect, size);
  const sizeMb = await databaseMb(opened.raw);
  console.log(
    `${opened.buildSeconds.toFixed(1)} s (${opened.facts.counts.subscriptions} subscriptions, ${opened.facts.counts.people} people, ${opened.facts.counts.assignments} licenses; ${sizeMb} MB on disk)`,
  );
  const results: MeasureResult[] = [];
  try {
    const ctx = { prisma: opened.database.prisma, now: BENCH_NOW, timeZone: 'UTC' };
    for (const measure of measures(ctx, opened.raw, opened.facts).filter((m) => wanted(m.name))) {
      process.stdout.write(`  ${measure.name}… `);
      let bot: Outcome;
      try {
        await measure.prepare?.();
        bot = await timeMeasure(measure, 'bot');
      } catch (error) {
        bot = {
          error: String(error instanceof Error ? error.message : error)
            .split('\n')
            .filter(Boolean)
            .at(-1)!
            .slice(0, 160),
        };
      }
      const floor = withFloors ? await timeMeasure(measure, 'floor') : undefined;
      console.log(describe(bot), floor ? `(floor ${describe(floor)})` : '');
      results.push({ name: measure.name, kind: measure.kind, floorIs: measure.floorIs, bot, ...(floor ? { floor } : {}) });
    }
    const exportName = `export ${BIG_PRODUCT}, rows/s (peak RSS, growth)`;
    if (wanted(exportName) || wanted('export')) {
      process.stdout.write(`  ${exportName}… `);
      await opened.database.close();
      const bot = await timeExport('bot', opened.url, slackApiUrl);
      const floor = withFloors ? await timeExport('floor', opened.url, slackApiUrl) : undefined;
      console.log(describe(bot), floor ? `(floor ${describe(floor)})` : '');
      results.push({ name: exportName, kind: 'export', floorIs: 'one query streamed to CSV', bot, ...(floor ? { floor } : {}) });
    }
  } finally {
    await opened.database.close();
    await opened.raw.close();
    if (env.BENCH_KEEP === '1') console.log(`  kept: DATABASE_URL=${opened.url}`);
    else await opened.drop();
  }
  return { dialect, size, buildSeconds: opened.buildSeconds, counts: opened.facts.counts, databaseMb: sizeMb, measures: results };
}

function describe(outcome: Result | undefined): string {
  if (!outcome) return '';
  if ('error' in outcome) return `fails: ${outcome.error.length > 70 ? `${outcome.error.slice(0, 69)}…` : outcome.error}`;
  if ('rowsPerSecond' in outcome) {
    return `${Math.round(outcome.rowsPerSecond / 1000)}k/s (${Math.round(outcome.peakRssMb)} MB, +${Math.round(outcome.peakRssMb - outcome.baselineRssMb)})`;
  }
  return ms(outcome.median);
}

function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${value.toFixed(0)} ms`;
  return value >= 1 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

/** The export's own memory: what the process grew by while exporting, whatever it held before. */
function exportMet(outcome: ExportOutcome): boolean {
  return outcome.rowsPerSecond >= 100_000 && outcome.peakRssMb - outcome.baselineRssMb < 200;
}

type Result = Outcome | ExportOutcome | { error: string };

/** What an outcome costs, the lower the better: milliseconds a run, or microseconds a row. */
function cost(outcome: Result | undefined): number | undefined {
  if (!outcome || 'error' in outcome) return undefined;
  return 'rowsPerSecond' in outcome ? 1e6 / outcome.rowsPerSecond : outcome.median;
}

interface TableRow {
  operation: string;
  bot: string;
  p95: string;
  floor: string;
  ratio: string;
  target: string;
  met: string;
  small: string;
  growth: string;
}

function tableRows(result: DatabaseResult): TableRow[] {
  return result.measures.map((m) => {
    const [bot, floor, small] = [cost(m.bot), cost(m.floor), cost(m.small)];
    const times = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(1)}×` : '');
    const met =
      m.kind === 'export'
        ? bot !== undefined && exportMet(m.bot as ExportOutcome)
        : bot !== undefined && (m.kind !== 'interactive' || floor !== undefined) && targetMet(m.kind, bot, floor ?? 0);
    return {
      operation: m.name,
      bot: describe(m.bot),
      p95: m.kind !== 'export' && bot !== undefined ? ms((m.bot as Timing).p95) : '',
      floor: describe(m.floor),
      ratio: times(bot, floor),
      target: m.kind === 'export' ? '≥ 100k rows/s, grows < 200 MB' : TARGETS[m.kind],
      met: met ? 'yes' : 'NO',
      small: describe(m.small),
      growth: times(bot, small),
    };
  });
}

function markdownTable(result: DatabaseResult): string {
  const header = `| operation | bot (median) | p95 | floor | bot/floor | target | met | at 10k | 10k → ${result.size} |`;
  const lines = [header, '|---|---:|---:|---:|---:|---|---|---:|---:|'];
  for (const r of tableRows(result))
    lines.push(`| ${r.operation} | ${r.bot} | ${r.p95} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met} | ${r.small} | ${r.growth} |`);
  return lines.join('\n');
}

async function machine(): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  const sqlite = openSqliteRaw(':memory:');
  const [sqliteVersion] = await sqlite.all('SELECT sqlite_version() AS v');
  await sqlite.close();
  let postgres: string | undefined;
  if (await postgresAnswers()) {
    const client = new pg.Client(postgresTargetFromUrl(env.BENCH_POSTGRES_URL).config);
    await client.connect();
    postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
    await client.end();
  }
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    sqlite: sqliteVersion?.v,
    postgres: postgres ?? 'not running',
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

interface ResultsFile {
  ranAt: string;
  machine: Record<string, unknown>;
  size: SizeName;
  results: Array<DatabaseResult & { measures: Array<MeasureResult & { partialRun?: unknown }> }>;
}

/** The last full run of this size, which a run of some operations (BENCH_ONLY) updates instead of replacing. */
const previous: ResultsFile | undefined = (() => {
  try {
    const file = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as ResultsFile;
    return file.size === env.BENCH_SIZE ? file : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * A partial run's operations replace theirs in the last full run of the same size, each marked
 * with when and under what load it ran (`partialRun`); the other operations keep their figures.
 */
function mergePartial(partial: DatabaseResult[]): DatabaseResult[] {
  if (!previous) return partial;
  const stamp = { ranAt: new Date().toISOString(), only: env.BENCH_ONLY, loadAverageAtStart: info.loadAverageAtStart };
  const dialectsSeen = new Set([...previous.results.map((r) => r.dialect), ...partial.map((r) => r.dialect)]);
  return [...dialectsSeen].map((dialect) => {
    const before = previous.results.find((r) => r.dialect === dialect);
    const now = partial.find((r) => r.dialect === dialect);
    if (!before) return now!;
    if (!now) return before;
    const measures = before.measures.map((m) => {
      const fresh = now.measures.find((n) => n.name === m.name);
      return fresh ? { ...fresh, partialRun: stamp } : m;
    });
    for (const fresh of now.measures) if (!before.measures.some((m) => m.name === fresh.name)) measures.push({ ...fresh, partialRun: stamp });
    return { ...before, measures };
  });
}

const info = await machine();
console.log(
  `Machine: ${info.cpu}, ${info.memoryGb} GB, Node ${info.node}, SQLite ${info.sqlite}, PostgreSQL ${info.postgres}; load average ${(info.loadAverageAtStart as number[]).join(' ')}`,
);
const dialects = env.BENCH_DATABASES.filter((d) => d === 'sqlite' || info.postgres !== 'not running');
if (dialects.length < env.BENCH_DATABASES.length) console.log(`PostgreSQL does not answer at ${env.BENCH_POSTGRES_URL}: SQLite only.`);

const emulator = await startSlackEmulator();
const results: DatabaseResult[] = [];
try {
  for (const dialect of dialects) {
    const small = env.BENCH_SIZE === '10k' ? undefined : await bench(dialect, '10k', false, emulator.url);
    emulator.reset();
    const result = await bench(dialect, env.BENCH_SIZE, true, emulator.url);
    emulator.reset();
    for (const m of result.measures) {
      const at10k = small?.measures.find((s) => s.name === m.name);
      if (at10k) m.small = at10k.bot;
    }
    results.push(result);
    console.log(
      `\n${dialect}, ${env.BENCH_SIZE} subscriptions (${result.counts.people} people, ${result.counts.assignments} licenses, ${result.databaseMb} MB on disk), built in ${result.buildSeconds.toFixed(1)} s:\n`,
    );
    console.log(markdownTable(result));
    console.log();
  }
} finally {
  await emulator.close();
}

const output = path.join(root, 'bench/results.json');
const ranAt = new Date().toISOString();
const machineInfo = { ...info, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) };
const merged = env.BENCH_ONLY ? mergePartial(results) : results;
writeFileSync(
  output,
  `${JSON.stringify({ ranAt: env.BENCH_ONLY ? previous?.ranAt : ranAt, machine: env.BENCH_ONLY ? previous?.machine : machineInfo, size: env.BENCH_SIZE, results: merged, tables: Object.fromEntries(merged.map((r) => [r.dialect, markdownTable(r)])) }, null, 2)}\n`,
);
console.log(`Written to ${path.relative(process.cwd(), output)}${env.BENCH_ONLY && previous ? ` (merged into the full run of ${previous.ranAt})` : ''}.`);
