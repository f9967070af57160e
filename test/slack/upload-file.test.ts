import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { uploadFile } from '../../src/slack/upload.js';
import { useOwnFiles } from '../support/own-files.js';

describe('uploading a CSV export from disk', () => {
  const own = useOwnFiles();
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  // Ten chunks of 256 KB: more than the buffers the chunks are read into in turn (src/slack/upload.ts).
  const manyChunks = () => randomBytes(256 * 1024 * 9 + 12_345);

  it('sends every byte of a file read from disk, its chunks read into a few buffers in turn', async () => {
    const path = join(own.folder('upload-'), 'export.csv');
    const content = manyChunks();
    await writeFile(path, content);
    const client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });

    const { fileId } = await uploadFile(client, { path, bytes: content.length, filename: 'export.csv', title: 'Export', channelId: 'C0ADMINS01' }, fetch);

    expect(emulator.file(fileId)!.content!.equals(content)).toBe(true);
  });

  it('sends every byte of a file read from disk, also after Socket Mode has loaded its undici as the dispatcher of every fetch', async () => {
    createRequire(createRequire(import.meta.url).resolve('@slack/socket-mode'))('undici');
    const path = join(own.folder('upload-'), 'export.csv');
    const content = manyChunks();
    await writeFile(path, content);
    const client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });

    const { fileId } = await uploadFile(client, { path, bytes: content.length, filename: 'export.csv', title: 'Export', channelId: 'C0ADMINS01' }, fetch);

    expect(emulator.file(fileId)).toMatchObject({ completed: true });
    expect(emulator.file(fileId)!.content!.equals(content)).toBe(true);
  });

  it('asks Slack for nothing when the file cannot be read', async () => {
    const client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });
    const path = join(own.folder('upload-'), 'missing.csv');
    const before = emulator.callsTo('files.getUploadURLExternal').length;

    await expect(uploadFile(client, { path, bytes: 10, filename: 'missing.csv', title: 'Export', channelId: 'C0ADMINS01' }, fetch)).rejects.toThrow();
    expect(emulator.callsTo('files.getUploadURLExternal')).toHaveLength(before);
  });
});
