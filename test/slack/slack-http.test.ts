import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { interactiveClientOptions, outboxClient } from '../../src/slack/slack-http.js';

describe('calls to Slack', () => {
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  const interactive = (shutdown?: AbortSignal) =>
    new webApi.WebClient(emulator.botToken, interactiveClientOptions({ apiUrl: emulator.url, timeoutMs: 1000, shutdown }));

  it('gives up on a Slack that keeps answering 500 after one quick retry, not after minutes', async () => {
    emulator.failNext('views.open', { status: 500 }, 10);
    await expect(
      interactive().views.open({ trigger_id: 'x', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    ).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    expect(emulator.callsTo('views.open')).toHaveLength(2);
  });

  it('abandons a call Slack never answers at its deadline', async () => {
    emulator.failNext('chat.postMessage', { hang: true }, 5);
    await expect(
      outboxClient(emulator.botToken, { apiUrl: emulator.url, timeoutMs: 1000 }).chat.postMessage({ channel: 'C0X', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'slack_webapi_request_error',
      original: expect.objectContaining({ name: 'TimeoutError' }),
    });
  });

  it('abandons every call in flight when the bot stops', async () => {
    emulator.failNext('chat.postMessage', { hang: true }, 5);
    const stopping = new AbortController();
    const client = new webApi.WebClient(emulator.botToken, {
      ...interactiveClientOptions({ apiUrl: emulator.url, timeoutMs: 60_000, shutdown: stopping.signal, retries: 0 }),
    });
    const call = client.chat.postMessage({ channel: 'C0X', text: 'x' });
    setTimeout(() => stopping.abort(), 100);
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
  });

  it('turns a 429 from a listener call into an error at once instead of sleeping through Retry-After', async () => {
    emulator.failNext('views.publish', { status: 429, retryAfter: 30 }, 3);
    await expect(interactive().views.publish({ user_id: 'U0X', view: { type: 'home', blocks: [] } })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 30,
    });
  });
});
