import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { recordingLogger } from '../support/bot.js';
import { useOwnFiles } from '../support/own-files.js';

const run = promisify(execFile);

describe('starting the bot', () => {
  const own = useOwnFiles();

  it('creates the SQLite file, migrates it and seeds the demo tenant on first start only', async () => {
    const emulator = await own.emulator();
    const dir = own.folder('bot-start-');
    const loaded = loadConfig({
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: 'start-secret',
      SLACK_API_URL: emulator.url,
      ADMIN_USER_IDS: 'U0ADMIN0001',
      DATABASE_URL: `file:${join(dir, 'data', 'purchases.db')}`,
    });
    if (!loaded.ok) throw new Error(loaded.message);
    const options = { clock: () => new Date('2026-11-25T09:00:00Z'), logger: recordingLogger(), retries: 0, port: 0, outboxWorker: false };
    const first = await startBot(loaded.config, options);
    own.bot = first;
    expect(first.port).toBeGreaterThan(0);
    expect(await first.database.prisma.product.count({ where: { kind: 'product' } })).toBe(17);
    expect(await first.database.prisma.subscription.count({ where: { isSelfService: true } })).toBe(40);
    await first.stop();

    own.bot = await startBot(loaded.config, options);
    expect(await own.bot.database.prisma.subscription.count()).toBe(45);
  });

  it('stops with a sentence when Slack refuses the bot token', async () => {
    const emulator = await own.emulator();
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
