import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/db/client.js';
import type { SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { eventually } from '../support/eventually.js';
import { ADMIN_A, ADMIN_CHANNEL, DEMO_USERS, recordingLogger } from '../support/bot.js';
import { useOwnFiles } from '../support/own-files.js';
import { sendSlashCommand } from '../support/slack-requests.js';

const SECRET = 'shutdown-secret';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something can listen on `port` again (the stopped bot let it go). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

describe('stopping the bot while Slack hangs', () => {
  const own = useOwnFiles();

  function env(emulatorUrl: string, token: string, dir: string): Record<string, string> {
    return {
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: emulatorUrl,
      // Long enough that only the stop can end the hung calls.
      SLACK_HTTP_TIMEOUT_MS: '60000',
      ADMIN_USER_IDS: ADMIN_A,
      ADMIN_CHANNEL_ID: ADMIN_CHANNEL,
      DATABASE_URL: `file:${join(dir, 'purchases.db')}`,
      LOG_LEVEL: 'error',
    };
  }

  /** Leaves a digest post hanging in the outbox worker and a listener hanging in views.open. */
  async function hangEverything(target: { url: string; signingSecret: string; emulator: SlackEmulator }): Promise<void> {
    target.emulator.failNext('chat.postMessage', { hang: true }, 20);
    target.emulator.failNext('views.open', { hang: true }, 5);
    expect((await sendSlashCommand(target, { command: '/purchases', text: 'digest', user_id: ADMIN_A, channel_id: 'D0DIRECT01' })).status).toBe(200);
    expect((await sendSlashCommand(target, { command: '/purchases', text: 'takeover 00000000', user_id: ADMIN_A, channel_id: 'D0DIRECT01' })).status).toBe(200);
    await eventually(() => expect(target.emulator.callsTo('chat.postMessage').length).toBeGreaterThan(0));
  }

  it('stops within its grace period plus a second, frees its port, and records the cut-off post as outcome unknown', async () => {
    const emulator = await own.emulator({ users: DEMO_USERS });
    const dir = own.folder('bot-stop-');
    const loaded = loadConfig(env(emulator.url, emulator.botToken, dir));
    if (!loaded.ok) throw new Error(loaded.message);
    const bot = await startBot(loaded.config, {
      logger: recordingLogger(),
      retries: 0,
      port: 0,
      scheduler: false,
      stopGraceMs: 1000,
      clock: () => new Date('2026-11-25T09:00:00Z'),
    });
    own.bot = bot;
    const port = bot.port!;
    await hangEverything({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, emulator });
    await bot.stop();
    own.bot = undefined;
    expect(await canListen(port)).toBe(true);
    const reopened = await createDatabase(`file:${join(dir, 'purchases.db')}`);
    const digest = await reopened.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'post' } });
    expect(digest).toMatchObject({ status: 'pending', lockedUntil: null });
    expect(digest.lastError).toContain('outcome unknown: the bot stopped during the call');
    await reopened.close();
  });

  it('exits on SIGTERM within ten seconds while Slack hangs, so a restart can take the port', async () => {
    const emulator = await own.emulator({ users: DEMO_USERS });
    const dir = own.folder('bot-sigterm-');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', ...env(emulator.url, emulator.botToken, dir), PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Starting a process (TypeScript compiled on the fly, a new database migrated) can take most
    // of a minute on a loaded machine: the wait is for the start, not a measure of it.
    const deadline = Date.now() + 60_000;
    while (!output.includes('is running') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(output).toContain('is running');
    await hangEverything({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, emulator });
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(0);
    expect(await canListen(port)).toBe(true);
  }, 90_000);
});
