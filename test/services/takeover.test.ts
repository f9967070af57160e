import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createDatabase } from '../../src/db/client.js';
import { isFieldError } from '../../src/domain/takeover.js';
import { approveTakeover, rejectTakeover, resumeStuckTakeovers } from '../../src/services/takeover/decide.js';
import { takeoverOptions } from '../../src/services/takeover/options.js';
import { requestTakeover, type TakeoverInput } from '../../src/services/takeover/request.js';
import { slackDirectory } from '../../src/slack/directory.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { takeoverNotices } from '../../src/slack/blocks/takeover.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import { aPerson, aProduct, assign, aSubscription } from '../support/builders.js';
import { dialectProviders, onSqliteOnly, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const CHANNEL = 'C0ADMINS01';
const REQUESTER = 'U0ADMIN0001';
const APPROVER = 'U0ADMIN0002';

describe.each(dialectProviders)('take-over services on %s', (provider) => {
  let emulator: SlackEmulator;
  const { database, ctx } = useServiceContext(provider, { now });
  const anyDialect = onSqliteOnly(provider);
  let ids: { product: string; own: string; central: string; small: string; users: string[]; purchaserEmail: string };

  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [{ id: 'U0MEERA001', name: 'meera', real_name: 'Meera Desai', email: 'meera.desai@contoso.com' }] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const purchaser = await aPerson(database.prisma, { name: 'Meera Desai', email: 'meera.desai@contoso.com' });
    const users = await Promise.all([1, 2, 3].map(() => aPerson(database.prisma)));
    const own = await aSubscription(database.prisma, { productId: product.id, purchaserId: purchaser.id, licensesPurchased: 5 });
    await assign(
      database.prisma,
      own.id,
      users.map((u) => u.id),
    );
    const central = await aSubscription(database.prisma, { productId: product.id, purchaserId: null, isSelfService: false, licensesPurchased: 10 });
    const small = await aSubscription(database.prisma, { productId: product.id, purchaserId: null, isSelfService: false, licensesPurchased: 2 });
    ids = { product: product.id, own: own.id, central: central.id, small: small.id, users: users.map((u) => u.id), purchaserEmail: purchaser.email };
  });

  function deps(prisma = database.prisma) {
    return {
      tenant: createLocalSubscriptionTenant(prisma),
      directory: slackDirectory(new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } })),
      notices: takeoverNotices,
    };
  }

  function request(input: Partial<TakeoverInput>, actor = REQUESTER) {
    return requestTakeover(ctx, takeoverNotices, { slackUserId: actor }, { subscriptionId: ids.own, ...input }, { adminChannelId: CHANNEL });
  }

  async function fieldErrorOf(work: Promise<unknown>) {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isFieldError(error)) throw new Error(`expected a field error, got ${String(error)}`);
    return { field: error.field, message: error.userMessage };
  }

  anyDialect('offers central subscriptions first as move targets, with their free licenses', async () => {
    const options = await takeoverOptions(ctx, ids.own);
    expect(options.targets.map((t) => [t.subscription.id, t.free])).toEqual([
      [ids.central, 10],
      [ids.small, 2],
    ]);
  });

  anyDialect('stores a pending request and queues its approval message for the admins’ channel', async () => {
    const stored = await request({ kind: 'move', targetSubscriptionId: ids.central });
    expect(stored).toMatchObject({ status: 'PENDING', kind: 'move', usersAffected: 3, requestedBy: REQUESTER });
    const outbox = await database.prisma.outboxMessage.findMany();
    expect(outbox).toEqual([expect.objectContaining({ kind: 'post', dedupeKey: `takeover:${stored.id}:request` })]);
    expect(outbox[0]!.payload).toContain('3 users move to');
    expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.requested' } })).toBe(1);
  });

  anyDialect('refuses a target with fewer free licenses than users to move, with the numbers', async () => {
    const error = await fieldErrorOf(request({ kind: 'move', targetSubscriptionId: ids.small }));
    expect(error.field).toBe('target');
    expect(error.message).toContain('2 free licenses but 3 users need one: 1 missing');
  });

  it('refuses a cancellation without a reason, and a second request while one is open', async () => {
    expect((await fieldErrorOf(request({ kind: 'cancel' }))).field).toBe('reason');
    await request({ kind: 'cancel', reason: 'Too expensive' });
    const second = await fieldErrorOf(request({ kind: 'cancel', reason: 'Other' }));
    expect(second.message).toContain('already waiting');
  });

  anyDialect('asks for a comment when the reason is Other, on the comment field', async () => {
    for (const comment of [undefined, '   ']) {
      const error = await fieldErrorOf(request({ kind: 'cancel', reason: 'Other', ...(comment !== undefined ? { comment } : {}) }));
      expect(error.field).toBe('comment');
      expect(error.message).toContain('say why in the comment');
    }
    expect(await request({ kind: 'cancel', reason: 'Other', comment: 'Bought twice' })).toMatchObject({ reason: 'Other', comment: 'Bought twice' });
  });

  anyDialect('refuses a request when no admins’ channel is configured, saying what to set', async () => {
    const error = await fieldErrorOf(
      requestTakeover(
        ctx,
        takeoverNotices,
        { slackUserId: REQUESTER },
        { subscriptionId: ids.own, kind: 'cancel', reason: 'Other' },
        { adminChannelId: undefined },
      ),
    );
    expect(error.message).toContain('ADMIN_CHANNEL_ID');
  });

  anyDialect('refuses the requester’s own approval under the four-eyes rule, and audits it', async () => {
    const stored = await request({ kind: 'cancel', reason: 'Too expensive' });
    await expect(approveTakeover(ctx, deps(), { slackUserId: REQUESTER }, stored.id, { requireSecondApprover: true })).rejects.toMatchObject({
      code: 'forbidden',
      userMessage: expect.stringContaining('another admin has to approve'),
    });
    expect((await database.prisma.takeoverRequest.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('PENDING');
    expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.approve', outcome: 'denied' } })).toBe(1);
  });

  it('moves every user to the target and cancels the old subscription, keeping every row', async () => {
    const stored = await request({ kind: 'move', targetSubscriptionId: ids.central });
    const done = await approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true });
    expect(done).toMatchObject({ status: 'EXECUTED', decidedBy: APPROVER, usersAffected: 3, purchaserNotice: 'sent' });
    const old = await database.prisma.subscription.findUniqueOrThrow({ where: { id: ids.own } });
    expect(old).toMatchObject({ status: 'Deleted', cancelledBy: APPROVER, cancelledAt: now });
    expect(old.cancelReason).toContain(`Moved users to central subscription ${ids.central.slice(0, 8)}`);
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.own } })).toBe(3);
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.own, removedAt: null } })).toBe(0);
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.central, removedAt: null } })).toBe(3);
    const outbox = await database.prisma.outboxMessage.findMany({ orderBy: { dedupeKey: 'asc' } });
    expect(outbox.map((m) => [m.kind, m.dedupeKey])).toEqual([
      ['update', `takeover:${stored.id}:outcome`],
      ['dm', `takeover:${stored.id}:purchaser`],
      ['post', `takeover:${stored.id}:request`],
    ]);
    expect(JSON.parse(outbox[1]!.payload)).toMatchObject({ user: 'U0MEERA001' });
    expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.move.executed' } })).toBe(1);
  });

  anyDialect('fails a move whose seats were taken meanwhile, moving nobody and saying how many are missing', async () => {
    const stored = await request({ kind: 'move', targetSubscriptionId: ids.central });
    const others = await Promise.all(Array.from({ length: 8 }, () => aPerson(database.prisma)));
    await assign(
      database.prisma,
      ids.central,
      others.map((p) => p.id),
    );
    const done = await approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true });
    expect(done.status).toBe('FAILED');
    expect(done.failureReason).toContain('1 license is missing');
    expect((await database.prisma.subscription.findUniqueOrThrow({ where: { id: ids.own } })).status).toBe('Active');
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.own, removedAt: null } })).toBe(3);
    expect(await database.prisma.outboxMessage.count({ where: { kind: 'dm' } })).toBe(0);
  });

  anyDialect('cancels with the reason and comment kept, and says when the purchaser is not in Slack', async () => {
    await database.prisma.person.updateMany({ where: { email: ids.purchaserEmail }, data: { email: 'not.in.slack@contoso.com' } });
    const stored = await request({ kind: 'cancel', reason: 'Too expensive', comment: 'Use the central one' });
    const done = await approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true });
    expect(done).toMatchObject({ status: 'EXECUTED', usersAffected: 3, purchaserNotice: 'not_in_slack' });
    expect(await database.prisma.subscription.findUniqueOrThrow({ where: { id: ids.own } })).toMatchObject({
      status: 'Deleted',
      cancelReason: 'Too expensive',
      cancelComment: 'Use the central one',
    });
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.own, removedAt: null } })).toBe(0);
    const update = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `takeover:${stored.id}:outcome` } });
    expect(update.payload).toContain('is not in Slack');
    expect(await database.prisma.outboxMessage.count({ where: { kind: 'dm' } })).toBe(0);
  });

  /** An approval whose process stopped right after moving the request to APPROVED. */
  async function approvedThenStopped(stored: { id: string }) {
    await database.prisma.takeoverRequest.update({ where: { id: stored.id }, data: { status: 'APPROVED', decidedBy: APPROVER, decidedAt: now } });
  }
  const minutesLater = (minutes: number) => ({ ...ctx, now: new Date(now.getTime() + minutes * 60_000) });

  it('finishes an approval whose process stopped before the tenant change, once, and not too early', async () => {
    const stored = await request({ kind: 'cancel', reason: 'No longer needed' });
    await approvedThenStopped(stored);
    expect(await resumeStuckTakeovers(minutesLater(5), deps())).toEqual({ resumed: [] });
    expect(await resumeStuckTakeovers(minutesLater(11), deps())).toEqual({ resumed: [stored.id] });
    expect(await resumeStuckTakeovers(minutesLater(11), deps())).toEqual({ resumed: [] });
    expect(await database.prisma.takeoverRequest.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({
      status: 'EXECUTED',
      usersAffected: 3,
      decidedBy: APPROVER,
    });
    expect(await database.prisma.subscription.findUniqueOrThrow({ where: { id: ids.own } })).toMatchObject({ status: 'Deleted', cancelledBy: APPROVER });
    expect(await database.prisma.outboxMessage.count({ where: { dedupeKey: `takeover:${stored.id}:outcome` } })).toBe(1);
  });

  it('records a tenant change made just before the process stopped instead of failing it', async () => {
    const stored = await request({ kind: 'cancel', reason: 'Bought by mistake' });
    await approvedThenStopped(stored);
    const change = await createLocalSubscriptionTenant(database.prisma).cancelSubscription({
      subscriptionId: ids.own,
      actor: APPROVER,
      reason: 'Bought by mistake',
      comment: null,
      now: minutesLater(0.5).now,
    });
    expect(change.ok).toBe(true);
    expect(await resumeStuckTakeovers(minutesLater(11), deps())).toEqual({ resumed: [stored.id] });
    expect(await database.prisma.takeoverRequest.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({
      status: 'EXECUTED',
      usersAffected: 3,
    });
  });

  anyDialect('lets the requester approve alone when the four-eyes rule is off', async () => {
    const stored = await request({ kind: 'cancel', reason: 'Other', comment: 'Bought twice' });
    const done = await approveTakeover(ctx, deps(), { slackUserId: REQUESTER }, stored.id, { requireSecondApprover: false });
    expect(done.status).toBe('EXECUTED');
  });

  it('rejects with a reason, tells the requester, and refuses a later approval naming who rejected', async () => {
    const stored = await request({ kind: 'cancel', reason: 'Other', comment: 'Bought twice' });
    const rejected = await rejectTakeover(ctx, takeoverNotices, { slackUserId: APPROVER }, stored.id, 'Talk to Meera first');
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectReason: 'Talk to Meera first', decidedBy: APPROVER });
    const dm = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `takeover:${stored.id}:rejected` } });
    expect(JSON.parse(dm.payload)).toMatchObject({ user: REQUESTER });
    await expect(approveTakeover(ctx, deps(), { slackUserId: 'U0ADMIN0003' }, stored.id, { requireSecondApprover: true })).rejects.toMatchObject({
      userMessage: `This request was already rejected by <@${APPROVER}>.`,
    });
    expect((await database.prisma.subscription.findUniqueOrThrow({ where: { id: ids.own } })).status).toBe('Active');
  });

  it('runs a second approval of an executed request not at all, naming who approved', async () => {
    const stored = await request({ kind: 'cancel', reason: 'Other', comment: 'Bought twice' });
    await approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true });
    await expect(approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true })).rejects.toMatchObject({
      userMessage: `This request was already approved by <@${APPROVER}>.`,
    });
    expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.cancel.executed' } })).toBe(1);
  });

  it('executes exactly once when two admins approve at the same moment on separate connections', async () => {
    const stored = await request({ kind: 'move', targetSubscriptionId: ids.central });
    const second = await createDatabase(database.url, { migrate: false });
    try {
      const results = await Promise.allSettled([
        approveTakeover(ctx, deps(), { slackUserId: APPROVER }, stored.id, { requireSecondApprover: true }),
        approveTakeover({ ...ctx, prisma: second.prisma }, deps(second.prisma), { slackUserId: 'U0ADMIN0003' }, stored.id, { requireSecondApprover: true }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(String((lost[0]!.reason as { userMessage?: string }).userMessage)).toMatch(/already approved by <@U0ADMIN000[23]>/);
      expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.move.executed' } })).toBe(1);
      expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.central } })).toBe(3);
    } finally {
      await second.close();
    }
  });
});
