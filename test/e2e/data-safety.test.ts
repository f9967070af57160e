import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotOptions, type RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { recordingLogger } from '../support/bot.js';

describe('the database file, before and while the bot runs', () => {
  let bot: RunningBot | undefined;
  let emulator: SlackEmulator | undefined;
  const dirs: string[] = [];

  afterEach(async () => {
    await bot?.stop();
    await emulator?.close();
    bot = undefined;
    emulator = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function setUp() {
    emulator = await startSlackEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    dirs.push(dir);
    const folder = join(dir, 'data');
    const file = join(folder, 'purchases.db');
    const loaded = loadConfig({
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: 'data-secret',
      SLACK_API_URL: emulator.url,
      ADMIN_USER_IDS: 'U0ADMIN0001',
      DATABASE_URL: `file:${file}`,
    });
    if (!loaded.ok) throw new Error(loaded.message);
    // One retry: an emulator of an earlier test may have had this port, and a pooled connection to it is dead.
    const options: BotOptions = { clock: () => new Date('2026-11-25T09:00:00Z'), logger: recordingLogger(), retries: 1, port: 0, outboxWorker: false, scheduler: false };
    const start = (more: Partial<BotOptions> = {}) => startBot(loaded.config, { ...options, ...more });
    return { folder, file, start };
  }

  it('refuses to start on a file that is not a SQLite database, saying so', async () => {
    const { folder, file, start } = await setUp();
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, 'these are not the purchases you are looking for'.repeat(100));
    await expect(start()).rejects.toMatchObject({ userMessage: expect.stringContaining(`The database file ${file} is damaged (it is not a SQLite database)`) });
  });

  it('refuses to start on a damaged SQLite file, saying to restore a backup', async () => {
    const { file, start } = await setUp();
    bot = await start();
    await bot.stop();
    bot = undefined;
    const fd = openSync(file, 'r+');
    // Overwrite pages in the middle of the tables with garbage.
    writeSync(fd, Buffer.alloc(4096 * 4, 0xa5), 0, 4096 * 4, 4096 * 6);
    closeSync(fd);
    await expect(start()).rejects.toMatchObject({ userMessage: expect.stringMatching(/is damaged \(.+\)\. Restore it from a backup/) });
  });

  it('refuses to start without the database it created and used, instead of starting an empty one', async () => {
    const { file, start } = await setUp();
    bot = await start();
    await bot.stop();
    bot = undefined;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const error = await start().catch((e: unknown) => e);
    expect(error).toMatchObject({ userMessage: expect.stringContaining(`The database file ${file} is missing, but the bot created it on 2026-11-25T09:00:00.000Z`) });
    expect((error as { userMessage: string }).userMessage).toContain(`delete ${file}.created`);
    expect(existsSync(file)).toBe(false);
  });

  it('seeds the demo tenant only into a database that never held anything', async () => {
    const { start } = await setUp();
    bot = await start();
    expect(await bot.database.prisma.subscription.count()).toBe(43);
    // Everyone's data gone, the database still there: that is not a new database.
    await bot.database.prisma.licenseAssignment.deleteMany();
    await bot.database.prisma.subscription.deleteMany();
    await bot.database.prisma.person.deleteMany();
    await bot.database.prisma.product.deleteMany();
    await bot.stop();
    bot = await start();
    expect(await bot.database.prisma.product.count()).toBe(0);
  });

  it('fails its health check and asks to stop when the database folder disappears while it runs', async () => {
    const { folder, start } = await setUp();
    const lost: string[][] = [];
    bot = await start({ healthIntervalMs: 50, onDatabaseLost: (problems) => lost.push(problems) });
    const healthy = await fetch(`http://127.0.0.1:${bot.port}/health`);
    expect(healthy.status).toBe(200);
    rmSync(folder, { recursive: true, force: true });
    const deadline = Date.now() + 3000;
    while (lost.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(lost).toEqual([[`The database folder ${folder} has disappeared.`]]);
    const sick = await fetch(`http://127.0.0.1:${bot.port}/health`);
    expect(sick.status).toBe(503);
    expect(await sick.json()).toMatchObject({ ok: false, problems: [expect.stringContaining('has disappeared')] });
  });

  it('fails its health check when the database file alone is deleted', async () => {
    const { file, start } = await setUp();
    bot = await start();
    rmSync(file);
    const report = await bot.health();
    expect(report).toEqual({ ok: false, problems: [`The database file ${file} has disappeared.`] });
  });
});
