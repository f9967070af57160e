import { createRequire } from 'node:module';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { uploadBytes } from '../../src/outbox/upload.js';

describe('uploading bytes held in memory (a report chart)', () => {
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('works after Socket Mode has loaded its undici, which becomes the dispatcher of every fetch', async () => {
    // What a bot in Socket Mode loads when it connects: undici 7 installs itself as fetch's global
    // dispatcher, and it refuses a request that states its Content-Length twice.
    createRequire(createRequire(import.meta.url).resolve('@slack/socket-mode'))('undici');
    const client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });
    const content = Buffer.from('\x89PNG\r\n\x1a\n a picture');
    const { fileId } = await uploadBytes(
      client,
      { content, bytes: content.length, filename: 'chart.png', title: 'Chart', channelId: 'C0ADMINS01', altText: 'A chart' },
      fetch,
    );
    expect(emulator.file(fileId)).toMatchObject({ completed: true, content, alt_text: 'A chart' });
  });
});
