/**
 * `npm run bench`: exports the licensed users of a 100,000-seat product to CSV and reports the
 * time taken and the peak memory, to check that export memory stays bounded by the batch size
 * rather than the row count. Runs on a temporary SQLite file; prints one line per measure.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDatabase } from '../src/db/client.js';
import { exportUsers } from '../src/services/export-users.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'purchases-bench-'));
const file = join(dir, 'bench.db');
const now = new Date('2026-11-25T09:00:00Z');

// The tenant is written with plain SQL so that only the export runs through Prisma.
const seeding = await createDatabase(`file:${file}`);
await seeding.close();
const sqlite = new Database(file);
const subscriptionId = randomUUID();
sqlite.prepare(`INSERT INTO "Product" ("id", "name", "updatedAt") VALUES ('CFQ7TTC0H9MP', 'Power BI Pro', ?)`).run(now.getTime());
sqlite
  .prepare(
    `INSERT INTO "Subscription" ("id", "productId", "isSelfService", "licensesPurchased", "purchasedAt", "expiresAt", "unitPriceMinor", "currency", "updatedAt")
     VALUES (?, 'CFQ7TTC0H9MP', 0, ?, ?, ?, 1400, 'USD', ?)`,
  )
  .run(subscriptionId, ROWS, now.getTime(), now.getTime(), now.getTime());
const person = sqlite.prepare(`INSERT INTO "Person" ("id", "name", "email") VALUES (?, ?, ?)`);
const assignment = sqlite.prepare(`INSERT INTO "LicenseAssignment" ("id", "subscriptionId", "userId", "assignedAt") VALUES (?, ?, ?, ?)`);
sqlite.transaction(() => {
  for (let i = 0; i < ROWS; i += 1) {
    const id = randomUUID();
    person.run(id, `User ${i}`, `user.${i}@contoso.test`);
    assignment.run(randomUUID(), subscriptionId, id, now.getTime());
  }
})();
sqlite.close();

const database = await createDatabase(`file:${file}`);
const { prisma } = database;

try {
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakRss = Math.max(peakRss, usage.rss);
  }, 5);
  const started = performance.now();
  const csv = await exportUsers({ prisma, now, timeZone: 'UTC' }, { slackUserId: 'U0BENCH001' }, { kind: 'product', product: 'Power BI Pro' });
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  await csv.dispose();

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`heap before export: ${mb(baseline.heapUsed)}`);
  console.log(`export rows: ${csv.rows}`);
  console.log(`export file: ${mb(csv.bytes)}`);
  console.log(`export time: ${(elapsed / 1000).toFixed(2)} s`);
  console.log(`export heap growth at peak: ${mb(peakHeap - baseline.heapUsed)}`);
  console.log(`export rss growth at peak: ${mb(peakRss - baseline.rss)}`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
