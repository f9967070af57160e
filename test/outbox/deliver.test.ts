import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueOutbox } from '../../src/db/repositories/outbox.js';
import { deliverOutbox, OUTCOME_UNKNOWN, type OutboxDeps } from '../../src/outbox/deliver.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startOutboxWorker } from '../../src/outbox/worker.js';
import { undeliveredNotice } from '../../src/slack/blocks/delivery.js';
import { outboxClient } from '../../src/slack/slack-http.js';
import { recordingLogger } from '../support/bot.js';
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
    // The update waits with its post's conversation: not even attempted while the post is rate limited.
    expect(await deliverOutbox(deps, at(1))).toEqual({ sent: 0, retried: 1, failed: 0 });
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

describe('the outbox when Slack hangs, refuses or the bot stops', () => {
  let emulator: SlackEmulator;
  const database = useTestDatabase('sqlite');
  let deps: OutboxDeps & { logger: ReturnType<typeof recordingLogger> };

  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [{ id: 'U0ADMIN001', name: 'alice', real_name: 'Alice Admin' }] });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    emulator.reset();
    deps = {
      prisma: database.prisma,
      client: outboxClient(emulator.botToken, { apiUrl: emulator.url, timeoutMs: 500 }),
      logger: recordingLogger(),
      undelivered: undeliveredNotice,
    };
  });

  const row = (key: string) => database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: key } });

  it('lets a call Slack never answers hold up only its own conversation, and only until its deadline', async () => {
    emulator.failNext('chat.postMessage', { hang: true });
    await enqueue(database.prisma, 'post', 'stuck', { channel: 'C0STUCK', text: 'first' }, at(0));
    for (const channel of ['C0ONE', 'C0TWO', 'C0THREE']) await enqueue(database.prisma, 'post', `to-${channel}`, { channel, text: `hello ${channel}` }, at(1));
    expect(await deliverOutbox(deps, at(2))).toEqual({ sent: 3, retried: 1, failed: 0 });
    expect((await row('stuck')).lastError).toContain(OUTCOME_UNKNOWN);
    expect(emulator.messages('C0ONE').map((m) => m.text)).toEqual(['hello C0ONE']);
    expect(await deliverOutbox(deps, at(600))).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it('leaves the rest of a conversation for the next run once Slack stops taking it', async () => {
    emulator.failNext('chat.postMessage', { status: 503 });
    await enqueue(database.prisma, 'post', 'part1', { channel: 'C0ADMINS', text: 'part 1' }, at(0));
    await enqueue(database.prisma, 'post', 'part2', { channel: 'C0ADMINS', text: 'part 2' }, at(1));
    expect(await deliverOutbox(deps, at(2))).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await row('part2')).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null });
    expect(await deliverOutbox(deps, at(3))).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it('sends again a message whose sender stopped mid-call, and logs that it may appear twice', async () => {
    await enqueue(database.prisma, 'post', 'cut-off', { channel: 'C0ADMINS', text: 'approve?' }, at(0));
    // A worker claimed it and died before it could record the outcome.
    expect(await claimDueOutbox(database.prisma, at(0), { limit: 10, leaseMs: 120_000 })).toHaveLength(1);
    expect(await deliverOutbox(deps, at(60))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await deliverOutbox(deps, at(121))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(deps.logger.lines.join('\n')).toContain('cut-off: its last attempt was cut off (outcome unknown); sending it again, it may appear twice');
  });

  it('tells the admin named in ifFailed, by direct message, why Slack refused the message for good', async () => {
    emulator.failNext('chat.postMessage', { ok: false, error: 'not_in_channel' });
    await enqueue(database.prisma, 'post', 'announce', { channel: 'C0ADMINS', text: 'Power BI Pro is now disabled', ifFailed: { user: 'U0ADMIN001' } }, at(0));
    expect(await deliverOutbox(deps, at(0))).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await deliverOutbox(deps, at(1))).toEqual({ sent: 1, retried: 0, failed: 0 });
    const told = emulator.messages(emulator.dmChannel('U0ADMIN001')).at(-1)!;
    expect(told.text).toContain('could not be delivered to <#C0ADMINS>: the bot is not a member of that conversation (not_in_channel)');
    expect(JSON.stringify(told.blocks)).toContain('Power BI Pro is now disabled');
  });

  it('gives up at once on a stored message that does not read back, instead of retrying it for hours', async () => {
    await enqueue(database.prisma, 'post', 'garbled', { channel: 'C0ADMINS', text: 'x' }, at(0));
    await database.prisma.outboxMessage.update({ where: { dedupeKey: 'garbled' }, data: { payload: '{"channel":' } });
    expect(await deliverOutbox(deps, at(0))).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await row('garbled')).toMatchObject({ status: 'failed', lastError: 'invalid_payload' });
  });

  it('stops its worker within the grace period even while a delivery hangs', async () => {
    const worker = startOutboxWorker({ deliver: () => new Promise(() => {}), clock: () => at(0), onError: () => {} });
    worker.kick();
    expect(await worker.stop(200)).toBe(false);
  });
});
