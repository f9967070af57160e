import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { recordingLogger } from '../support/bot.js';

const run = promisify(execFile);

describe('starting the bot', () => {
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

  it('creates the SQLite file, migrates it and seeds the demo tenant on first start only', async () => {
    emulator = await startSlackEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'bot-start-'));
    dirs.push(dir);
    const loaded = loadConfig({
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: 'start-secret',
      SLACK_API_URL: emulator.url,
      ADMIN_USER_IDS: 'U0ADMIN0001',
      DATABASE_URL: `file:${join(dir, 'data', 'purchases.db')}`,
    });
    if (!loaded.ok) throw new Error(loaded.message);
    const options = { clock: () => new Date('2026-11-25T09:00:00Z'), logger: recordingLogger(), retries: 0, port: 0, outboxWorker: false };
    bot = await startBot(loaded.config, options);
    expect(bot.port).toBeGreaterThan(0);
    expect(await bot.database.prisma.product.count({ where: { kind: 'product' } })).toBe(17);
    expect(await bot.database.prisma.subscription.count({ where: { isSelfService: true } })).toBe(40);
    await bot.stop();
    bot = undefined;

    bot = await startBot(loaded.config, options);
    expect(await bot.database.prisma.subscription.count()).toBe(43);
  });

  it('stops with a sentence when Slack refuses the bot token', async () => {
    emulator = await startSlackEmulator();
    const loaded = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 'start-secret',
      SLACK_API_URL: emulator.url,
      ADMIN_USER_IDS: 'U0ADMIN0001',
    });
    if (!loaded.ok) throw new Error(loaded.message);
    await expect(startBot(loaded.config, { retries: 0, port: 0, outboxWorker: false })).rejects.toMatchObject({
      userMessage: expect.stringContaining('Slack refused SLACK_BOT_TOKEN (invalid_auth)'),
    });
  });

  it('refuses to start on bad settings with one readable message and no stack trace', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: 'xoxp-wrong', BOT_TIMEZONE: 'Nowhere/Land' },
      cwd: process.cwd(),
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The bot cannot start: fix these settings');
    expect(result.stderr).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(result.stderr).toContain('BOT_TIMEZONE must be an IANA time zone');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
