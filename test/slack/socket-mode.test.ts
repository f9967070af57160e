import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { createSocketModeReceiver } from '../../src/slack/socket-mode.js';
import { recordingLogger } from '../support/bot.js';
import { testConfig } from '../support/config.js';
import { useTestDatabase } from '../support/database.js';

describe('Socket Mode', () => {
  let emulator: SlackEmulator | undefined;
  const database = useTestDatabase('sqlite');
  const cleanups: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await emulator?.close();
    emulator = undefined;
  });

  it('stops start-up with a sentence naming SLACK_APP_TOKEN when Slack refuses the app token', async () => {
    emulator = await startSlackEmulator();
    const config = testConfig({ SLACK_BOT_TOKEN: emulator.botToken, SLACK_APP_TOKEN: 'xapp-1-A0REVOKED-1-s3cr3t', SLACK_API_URL: emulator.url });
    const logger = recordingLogger();
    const started = startBot(config, { database, logger, retries: 0, outboxWorker: false, scheduler: false });
    await expect(started).rejects.toMatchObject({
      userMessage: expect.stringContaining('Slack refused SLACK_APP_TOKEN (invalid_auth). Generate a new app-level token with the connections:write scope'),
    });
    await expect(started).rejects.not.toMatchObject({ userMessage: expect.stringContaining('s3cr3t') });
    expect(emulator.calls.map((c) => c.method)).toContain('apps.connections.open');
  });

  it('logs a connection that keeps failing with the reason and what to check, less and less often', async () => {
    const appToken = 'xapp-1-A0ACCEPTED-1-abc';
    emulator = await startSlackEmulator({ tokens: ['xoxb-emulator-token', appToken] });
    emulator.failNext('apps.connections.open', { status: 503 }, 2);
    const logger = recordingLogger();
    const receiver = createSocketModeReceiver(
      { appToken, slackApiUrl: emulator.url, logger, clientPingTimeoutMs: 10, retry: { minMs: 5, maxMs: 20 } },
      () => logger,
    );
    receiver.start().catch(() => {});
    cleanups.push(async () => receiver.stop());

    const warnings = () => logger.lines.filter((line) => line.startsWith('warn Socket Mode:'));
    await expect.poll(() => warnings().filter((line) => line.includes('reconnecting, attempt 4')).length, { timeout: 10_000 }).toBe(1);
    const lines = warnings();
    expect(lines[0]).toContain('cannot reach Slack to open the connection (attempt 1: An HTTP protocol error occurred: statusCode = 503)');
    expect(lines[1]).toContain('(attempt 2: An HTTP protocol error occurred: statusCode = 503)');
    const reconnects = lines.filter((line) => line.includes('reconnecting, attempt'));
    expect(reconnects.map((line) => /attempt (\d+)/.exec(line)?.[1])).toEqual(['1', '2', '4']);
    expect(reconnects[0]).toContain('Check that SLACK_APP_TOKEN is an app-level token');
    expect(reconnects[0]).toContain('wss-primary.slack.com');
  });
});
