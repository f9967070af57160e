import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox, type OutboxDeps } from '../../src/outbox/deliver.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

const t0 = new Date('2026-11-25T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const quiet = { warn() {}, error() {} };

describe.each(dialectProviders)('the outbox on %s', (provider) => {
  let emulator: SlackEmulator;
  const database = useTestDatabase(provider);
  let deps: OutboxDeps;

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      users: [{ id: 'U0PURCHASER', name: 'ana', real_name: 'Ana López', email: 'ana.lopez@contoso.com' }],
    });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    emulator.reset();
    const client = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.url,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    deps = { prisma: database.prisma, client, logger: quiet };
  });

  it('stores a message once however often it is enqueued, and delivers it once', async () => {
    const post = { channel: 'C0ADMINS', text: 'hello' };
    expect(await enqueue(database.prisma, 'post', 'k1', post, t0)).toBe(true);
    expect(await enqueue(database.prisma, 'post', 'k1', post, t0)).toBe(false);
    expect(await deliverOutbox(deps, t0)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await deliverOutbox(deps, at(60))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(emulator.messages('C0ADMINS').map((m) => m.text)).toEqual(['hello']);
    const row = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'k1' } });
    expect(row).toMatchObject({ status: 'sent', resultChannel: 'C0ADMINS' });
    expect(row.resultTs).toBeTruthy();
  });

  it('waits as long as Slack says after a 429, then posts exactly once', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await enqueue(database.prisma, 'post', 'k2', { channel: 'C0ADMINS', text: 'digest' }, t0);
    expect(await deliverOutbox(deps, t0)).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await deliverOutbox(deps, at(6))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await deliverOutbox(deps, at(7))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(emulator.messages('C0ADMINS')).toHaveLength(1);
  });

  it('keeps retrying through an outage and gives up only on a permanent refusal', async () => {
    emulator.failNext('chat.postMessage', { status: 503 }, 2);
    await enqueue(database.prisma, 'post', 'k3', { channel: 'C0ADMINS', text: 'later' }, t0);
    expect((await deliverOutbox(deps, t0)).retried).toBe(1);
    expect((await deliverOutbox(deps, at(3600))).retried).toBe(1);
    expect((await deliverOutbox(deps, at(7200))).sent).toBe(1);

    emulator.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await enqueue(database.prisma, 'post', 'k4', { channel: 'C0GONE', text: 'x' }, at(7200));
    expect((await deliverOutbox(deps, at(7200))).failed).toBe(1);
    const row = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'k4' } });
    expect(row).toMatchObject({ status: 'failed', lastError: 'channel_not_found' });
  });

  it('sends a DM to a user found by email, and records a purchaser who is not in Slack', async () => {
    await enqueue(database.prisma, 'dm', 'dm1', { email: 'ana.lopez@contoso.com', text: 'Your subscription was cancelled' }, t0);
    await enqueue(database.prisma, 'dm', 'dm2', { email: 'nobody@contoso.com', text: 'x' }, t0);
    expect(await deliverOutbox(deps, t0)).toEqual({ sent: 1, retried: 0, failed: 1 });
    expect(emulator.messages(emulator.dmChannel('U0PURCHASER')).map((m) => m.text)).toEqual(['Your subscription was cancelled']);
    const missing = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'dm2' } });
    expect(missing.lastError).toBe('users_not_found');
  });

  it('updates a message only after the post it refers to went out', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    await enqueue(database.prisma, 'post', 'approval', { channel: 'C0ADMINS', text: 'Approve?' }, t0);
    await enqueue(database.prisma, 'update', 'approval:done', { ref: 'approval', text: 'Approved' }, at(1));
    expect(await deliverOutbox(deps, at(1))).toEqual({ sent: 0, retried: 2, failed: 0 });
    await deliverOutbox(deps, at(30));
    await deliverOutbox(deps, at(40));
    expect(emulator.messages('C0ADMINS').map((m) => m.text)).toEqual(['Approved']);
  });

  it('lets two workers racing for the same messages send each one once', async () => {
    for (let i = 0; i < 5; i += 1) await enqueue(database.prisma, 'post', `race${i}`, { channel: 'C0ADMINS', text: `m${i}` }, t0);
    const [a, b] = await Promise.all([deliverOutbox(deps, t0), deliverOutbox(deps, t0)]);
    expect(a.sent + b.sent).toBe(5);
    expect(emulator.messages('C0ADMINS')).toHaveLength(5);
  });
});
