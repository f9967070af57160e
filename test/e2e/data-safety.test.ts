import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot, type BotOptions } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { eventually } from '../support/eventually.js';
import { recordingLogger } from '../support/bot.js';
import { useOwnFiles } from '../support/own-files.js';

describe('the database file, before and while the bot runs', () => {
  const own = useOwnFiles();

  async function setUp() {
    const emulator = await own.emulator();
    const dir = own.folder('bot-data-');
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
    const options: BotOptions = {
      clock: () => new Date('2026-11-25T09:00:00Z'),
      logger: recordingLogger(),
      retries: 1,
      port: 0,
      outboxWorker: false,
      scheduler: false,
    };
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
    await (await start()).stop();
    const fd = openSync(file, 'r+');
    // Overwrite pages in the middle of the tables with garbage.
    writeSync(fd, Buffer.alloc(4096 * 4, 0xa5), 0, 4096 * 4, 4096 * 6);
    closeSync(fd);
    await expect(start()).rejects.toMatchObject({ userMessage: expect.stringMatching(/is damaged \(.+\)\. Restore it from a backup/) });
  });

  it('refuses to start without the database it created and used, instead of starting an empty one', async () => {
    const { file, start } = await setUp();
    await (await start()).stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const error = await start().catch((e: unknown) => e);
    expect(error).toMatchObject({
      userMessage: expect.stringContaining(`The database file ${file} is missing, but the bot created it on 2026-11-25T09:00:00.000Z`),
    });
    expect((error as { userMessage: string }).userMessage).toContain(`delete ${file}.created`);
    expect(existsSync(file)).toBe(false);
  });

  it('seeds the demo tenant only into a database that never held anything', async () => {
    const { start } = await setUp();
    const first = await start();
    expect(await first.database.prisma.subscription.count()).toBe(45);
    // Everyone's data gone, the database still there: that is not a new database.
    await first.database.prisma.licenseAssignment.deleteMany();
    await first.database.prisma.subscription.deleteMany();
    await first.database.prisma.person.deleteMany();
    await first.database.prisma.product.deleteMany();
    await first.stop();
    own.bot = await start();
    expect(await own.bot.database.prisma.product.count()).toBe(0);
  });

  it('fails its health check and asks to stop when the database folder disappears while it runs', async () => {
    const { folder, start } = await setUp();
    const lost: string[][] = [];
    const bot = await start({ healthIntervalMs: 50, onDatabaseLost: (problems) => lost.push(problems) });
    own.bot = bot;
    const healthy = await fetch(`http://127.0.0.1:${bot.port}/health`);
    expect(healthy.status).toBe(200);
    rmSync(folder, { recursive: true, force: true });
    await eventually(() => expect(lost).not.toEqual([]));
    expect(lost).toEqual([['The database folder has disappeared.']]);
    const sick = await fetch(`http://127.0.0.1:${bot.port}/health`);
    expect(sick.status).toBe(503);
    expect(await sick.json()).toEqual({ ok: false, problems: ['The database folder has disappeared.'] });
  });

  it('fails its health check when the database file alone is deleted', async () => {
    const { file, start } = await setUp();
    const bot = await start();
    own.bot = bot;
    rmSync(file);
    const report = await bot.health();
    expect(report).toEqual({ ok: false, problems: ['The database file has disappeared.'] });
  });
});
