/**
 * One export in a process of its own, so its peak RSS is the export's and not the bench's:
 * `bot` runs exportUsers and uploads the file to the Slack emulator as the listener does;
 * `floor` writes the same CSV from one hand-written query through the raw driver.
 * Prints one JSON line: { rows, bytes, ms, cpuMs, baselineRssMb, peakRssMb } (the clock and the baseline
 * start once the database is open).
 *
 *   node --import tsx bench/export-run.ts <bot|floor> <DATABASE_URL> <product name> [slack api url]
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { webApi } from '@slack/bolt';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDatabase } from '../src/db/client.js';
import { postgresTargetFromUrl, providerOfUrl, sqliteFilenameFromUrl } from '../src/db/migrate.js';
import { csvRecord, neutralizeCell } from '../src/domain/csv.js';
import { dateTimeFormatter } from '../src/domain/dates.js';
import { CSV_COLUMNS, exportUsers } from '../src/services/export-users.js';
import { uploadFile } from '../src/slack/upload.js';
import { BENCH_NOW } from './tenant.js';
import { numbered } from '../src/db/repositories/export-rows.js';

const [mode, url, product, slackApiUrl] = process.argv.slice(2);
if ((mode !== 'bot' && mode !== 'floor') || !url || !product) {
  throw new Error('usage: export-run.ts <bot|floor> <DATABASE_URL> <product name> [slack api url]');
}
const TIME_ZONE = 'UTC';
const formatDateTime = dateTimeFormatter(TIME_ZONE);

const FLOOR_SQL = `
  SELECT s."id" AS "subscriptionId", pu."name" AS "purchaserName", pu."email" AS "purchaserEmail",
         u."name" AS "userName", u."email" AS "userEmail", a."assignedAt", a."id"
  FROM "Product" p
  JOIN "Subscription" s ON s."productId" = p."id"
  JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL
  JOIN "Person" u ON u."id" = a."userId"
  LEFT JOIN "Person" pu ON pu."id" = s."purchaserId"
  WHERE p."name" = ?`;

interface FloorRow {
  subscriptionId: string;
  purchaserName: string | null;
  purchaserEmail: string | null;
  userName: string;
  userEmail: string;
  assignedAt: string | Date;
  id: string;
}

function record(row: FloorRow): string[] {
  return [
    row.subscriptionId,
    product!,
    row.purchaserName ? `${row.purchaserName} <${row.purchaserEmail}>` : 'Central subscription',
    row.userName,
    row.userEmail,
    formatDateTime(new Date(row.assignedAt)),
  ].map(neutralizeCell);
}

async function* floorRecords(counter: { rows: number }): AsyncGenerator<string[]> {
  yield [...CSV_COLUMNS];
  if (providerOfUrl(url!) === 'sqlite') {
    const db = new Database(sqliteFilenameFromUrl(url!), { readonly: true });
    try {
      for (const row of db.prepare(`${FLOOR_SQL} ORDER BY s."id", a."id"`).iterate(product) as Iterable<FloorRow>) {
        counter.rows += 1;
        yield record(row);
      }
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client(postgresTargetFromUrl(url!).config);
  await client.connect();
  try {
    // pg has no streaming without an extra package: keyset pages of the same query.
    let after: [string, string] | undefined;
    for (;;) {
      const keyset = after ? ` AND (s."id", a."id") > (?, ?)` : '';
      const { rows } = await client.query<FloorRow>(numbered(`${FLOOR_SQL}${keyset} ORDER BY s."id", a."id" LIMIT 10000`), [product, ...(after ?? [])]);
      for (const row of rows) {
        counter.rows += 1;
        yield record(row);
      }
      if (rows.length < 10000) return;
      const last = rows[rows.length - 1]!;
      after = [last.subscriptionId, last.id];
    }
  } finally {
    await client.end();
  }
}

/** The process's CPU time (user and system, all threads) since `start`: less moved by other work on the machine than the clock. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function floor(): Promise<{ rows: number; bytes: number; ms: number; cpuMs: number; baselineRssMb: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'purchases-bench-export-'));
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const counter = { rows: 0 };
    const path = join(dir, 'floor.csv');
    // The same CSV writing as the bot's (csvRecord), in chunks.
    const file = createWriteStream(path);
    let chunk = '';
    for await (const record of floorRecords(counter)) {
      chunk += csvRecord(record);
      if (chunk.length >= 256 * 1024) {
        if (!file.write(chunk)) await once(file, 'drain');
        chunk = '';
      }
    }
    file.end(chunk);
    await finished(file);
    return { rows: counter.rows, bytes: (await stat(path)).size, ms: performance.now() - started, cpuMs: cpuMs(cpu), baselineRssMb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function bot(): Promise<{ rows: number; bytes: number; ms: number; cpuMs: number; baselineRssMb: number }> {
  const database = await createDatabase(url!, { migrate: false });
  // The bot's client is open before anyone asks for an export: the clock starts after it connects.
  await database.prisma.$queryRaw`SELECT 1`;
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const csv = await exportUsers(
      { prisma: database.prisma, now: BENCH_NOW, timeZone: TIME_ZONE },
      { slackUserId: 'U0BENCHADM' },
      { kind: 'product', product: product! },
    );
    try {
      if (slackApiUrl) {
        const client = new webApi.WebClient('xoxb-emulator-token', { slackApiUrl });
        await uploadFile(client, { path: csv.path, bytes: csv.bytes, filename: csv.filename, title: csv.title, channelId: 'C0BENCH001' }, fetch);
      }
      return { rows: csv.rows, bytes: csv.bytes, ms: performance.now() - started, cpuMs: cpuMs(cpu), baselineRssMb };
    } finally {
      await csv.dispose();
    }
  } finally {
    await database.close();
  }
}

/**
 * The process's peak resident memory (MB): the export's, since it is all this process does. On
 * Linux from VmHWM, this process's own high-water mark: getrusage's maxRSS (resourceUsage) starts
 * from the parent's resident memory when it spawned this process (Linux keeps it across exec),
 * and the bench, holding a built tenant and the emulator's uploads, was often larger than the export.
 */
async function peakRssMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return (kib ? Number(kib) : process.resourceUsage().maxRSS) / 1024;
}

const result = mode === 'bot' ? await bot() : await floor();
console.log(JSON.stringify({ ...result, peakRssMb: await peakRssMb() }));
