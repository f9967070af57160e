import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';

const ana = { id: 'U0ANA00001', name: 'ana', real_name: 'Ana López', email: 'ana.lopez@contoso.com' };
let emulator: SlackEmulator;
let client: webApi.WebClient;

beforeAll(async () => {
  emulator = await startSlackEmulator({ users: [ana] });
  client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
});
afterAll(async () => {
  await emulator.close();
});

describe('files a user shares with the app, in the Slack emulator', () => {
  it('lists a user’s uploads in the app’s DM newest first, describes them, and hands the bytes only to the bot token', async () => {
    const older = emulator.uploadAsUser(ana.id, { name: 'old.csv', content: 'a\n1\n' });
    const newer = emulator.uploadAsUser(ana.id, { name: 'holders.csv', content: 'Display name,User principal name\n' });

    const listed = await client.files.list({ user: ana.id, channel: emulator.dmChannel(ana.id) });
    expect(listed.files?.map((f) => f.name)).toEqual(['holders.csv', 'old.csv']);
    const info = await client.files.info({ file: newer.file.id });
    expect(info.file).toMatchObject({
      id: newer.file.id,
      name: 'holders.csv',
      user: ana.id,
      filetype: 'csv',
      mimetype: 'text/csv',
      ims: [emulator.dmChannel(ana.id)],
    });

    const url = info.file!.url_private_download!;
    const withToken = await fetch(url, { headers: { Authorization: `Bearer ${emulator.botToken}` } });
    expect(await withToken.text()).toBe('Display name,User principal name\n');
    const without = await fetch(url);
    expect(without.headers.get('content-type')).toContain('text/html');
    expect(emulator.messages(emulator.dmChannel(ana.id)).map((m) => [m.user, m.files?.[0]?.id])).toEqual([
      [ana.id, older.file.id],
      [ana.id, newer.file.id],
    ]);
  });

  it('answers file_not_found for a file it does not have', async () => {
    await expect(client.files.info({ file: 'F0NOTHERE1' })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});
