import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ADMIN_A, useTestBot } from '../support/bot.js';
import { postSigned, sendSlashCommand, signSlackRequest } from '../support/slack-requests.js';

const FORM = 'application/x-www-form-urlencoded';
const now = () => Math.floor(Date.now() / 1000);

/** Sends headers claiming `declared` bytes and then only a little: what answers, and how much was sent. */
function postHuge(url: string, declared: number): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(url, { method: 'POST', headers: { 'content-type': FORM, 'content-length': String(declared) } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentBytes: sent });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      // Stop at 4 MB: a receiver that read on would only answer after the 400 MB it was promised.
      while (sent < 4 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
    };
    req.on('drain', pump);
    pump();
  });
}

/** A chunked body (no Content-Length) of `bytes`, signed. */
function postChunked(url: string, bytes: number, secret: string): Promise<number> {
  const body = `text=${'a'.repeat(bytes)}`;
  const ts = now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': FORM, 'transfer-encoding': 'chunked', ...signSlackRequest(secret, body, ts) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.slice(i, i + 256 * 1024));
    req.end();
  });
}

describe('the HTTP receiver', () => {
  const t = useTestBot({ provider: 'sqlite', env: { SLACK_TEAM_ID: 'T0EMULATED', SLACK_APP_ID: 'A0PURCHASES' } });

  const stillServes = async () => {
    const { status, replies } = await t.command(ADMIN_A, 'help');
    expect(status).toBe(200);
    expect(replies.length).toBeGreaterThan(0);
  };

  it('refuses a body announced at 400 MB with 413 before reading it', async () => {
    const result = await postHuge(t.target.url, 400 * 1024 * 1024);
    expect(result.status).toBe(413);
    await stillServes();
  });

  it('refuses a chunked body that grows past 1 MB with 413', async () => {
    expect(await postChunked(t.target.url, 2 * 1024 * 1024, t.target.signingSecret)).toBe(413);
    await stillServes();
  });

  it.each([
    ['payload=null', 'payload=null', FORM],
    ['payload=[]', 'payload=%5B%5D', FORM],
    ['payload=1', 'payload=1', FORM],
    ['payload given twice', 'payload=%7B%7D&payload=%7B%7D', FORM],
    ['payload that is not JSON', 'payload=%7Bnope', FORM],
    ['a JSON null', 'null', 'application/json'],
    ['a JSON string', '"event_callback"', 'application/json'],
  ])('answers a signed %s with 400 and keeps running', async (_what, body, type) => {
    const result = await postSigned(t.target, body, type);
    expect(result.status).toBe(400);
    await stillServes();
  });

  it('refuses a signed request dated more than five minutes ahead, as it does one five minutes old', async () => {
    const input = { command: '/purchases', text: 'help', user_id: ADMIN_A, channel_id: 'D0DIRECT01' };
    expect((await sendSlashCommand(t.target, input, { timestamp: now() + 6 * 60 })).status).toBe(401);
    expect((await sendSlashCommand(t.target, input, { timestamp: now() - 6 * 60 })).status).toBe(401);
    expect((await sendSlashCommand(t.target, input, { timestamp: now() + 60 })).status).toBe(200);
  });

  it('refuses a replay of a signed request it already served', async () => {
    const body = new URLSearchParams({
      team_id: t.emulator.teamId,
      api_app_id: t.emulator.appId,
      user_id: ADMIN_A,
      channel_id: 'D0DIRECT01',
      command: '/purchases',
      text: 'help',
      response_url: t.emulator.responseUrl('D0DIRECT01', ADMIN_A),
      trigger_id: t.emulator.triggerId(ADMIN_A),
    }).toString();
    const timestamp = now();
    expect((await postSigned(t.target, body, FORM, { timestamp })).status).toBe(200);
    expect((await postSigned(t.target, body, FORM, { timestamp })).status).toBe(401);
    expect(t.emulator.responseUrlPosts).toHaveLength(1);
  });

  it('refuses requests for another workspace or another app when SLACK_TEAM_ID and SLACK_APP_ID are set', async () => {
    const input = { command: '/purchases', text: 'help', user_id: ADMIN_A, channel_id: 'D0DIRECT01' };
    expect((await sendSlashCommand(t.target, { ...input, team_id: 'T0ELSEWHERE' })).status).toBe(403);
    const otherApp = new URLSearchParams({
      team_id: t.emulator.teamId,
      api_app_id: 'A0SOMEOTHER',
      user_id: ADMIN_A,
      command: '/purchases',
      text: 'help',
      channel_id: 'D0DIRECT01',
    });
    expect((await postSigned(t.target, otherApp.toString(), FORM)).status).toBe(403);
    expect(t.emulator.responseUrlPosts).toHaveLength(0);
    await stillServes();
  });

  it("answers Slack's URL verification and SSL check", async () => {
    const challenge = await postSigned(t.target, JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }), 'application/json');
    expect(challenge.json).toEqual({ challenge: 'c-123' });
    const ssl = await fetch(t.target.url, { method: 'POST', headers: { 'content-type': FORM }, body: 'ssl_check=1&token=x' });
    expect(ssl.status).toBe(200);
  });
});
