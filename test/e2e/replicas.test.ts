/**
 * Several replicas: two bots in HTTP mode on one PostgreSQL schema, each with its own Prisma
 * client (as two processes behind a load balancer), the same Slack. Whatever reaches both — the
 * same Approve, the same scheduled slot, a sync — takes effect once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoGraphTenant, startFakeMicrosoft, type FakeMicrosoft, DEMO_USERS as GRAPH_USERS } from '../../src/devkit/microsoft-fake/index.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, startTestBot, textOf, type TestBot } from '../support/bot.js';
import { dialectProviders } from '../support/database.js';
import { microsoftEnv } from '../support/microsoft.js';
import { buildBlockActionsPayload, buildViewSubmissionPayload, sendInteraction } from '../support/slack-requests.js';

const MEERA = 'U0MEERA001';
const POWER_BI_PRO = 'CFQ7TTC0H9MP';
const onPostgres = dialectProviders.includes('postgresql');

/** Starts bot A, then bot B as its replica; closes B before A (A's close drops the schema). */
function twoReplicas(options: () => Omit<Parameters<typeof startTestBot>[0], 'provider' | 'replicaOf'>) {
  const bots: { a: TestBot; b: TestBot } = {} as { a: TestBot; b: TestBot };
  beforeAll(async () => {
    bots.a = await startTestBot({ ...options(), provider: 'postgresql' });
    bots.b = await startTestBot({ ...options(), provider: 'postgresql', replicaOf: bots.a });
  });
  afterAll(async () => {
    await bots.b?.close();
    await bots.a?.close();
  });
  afterEach(() => bots.a?.emulator.reset());
  return bots;
}

/** Both replicas set to `at`. */
function setBoth(bots: { a: TestBot; b: TestBot }, at: Date): void {
  bots.a.setNow(at);
  bots.b.setNow(at);
}

describe.runIf(onPostgres)('two replicas on one PostgreSQL schema', () => {
  const bots = twoReplicas(() => ({ now: new Date('2026-11-25T08:00:00Z'), env: { DIGEST_CRON: '0 9 * * *', REMINDER_CRON: '0 9 * * *' } }));

  it('runs an Approve that reaches both once: one execution, one message update with the outcome, one DM', async () => {
    const { a, b } = bots;
    const prisma = a.database.prisma;
    const own = await prisma.subscription.findFirstOrThrow({
      where: {
        status: 'Active',
        isSelfService: true,
        productId: POWER_BI_PRO,
        purchaser: { email: 'meera.desai@contoso.com' },
        assignments: { some: { removedAt: null } },
      },
    });
    const central = await prisma.subscription.findFirstOrThrow({ where: { productId: POWER_BI_PRO, isSelfService: false } });
    const holders = await prisma.licenseAssignment.count({ where: { subscriptionId: own.id, removedAt: null } });
    await a.command(ADMIN_A, `takeover ${own.id.slice(0, 8)}`);
    const view = a.emulator.openViews(ADMIN_A).at(-1)!;
    const submitted = await a.interact(
      buildViewSubmissionPayload(a.emulator, { user_id: ADMIN_A, view, values: { takeover_kind: { kind: 'move' }, takeover_target: { target: central.id } } }),
    );
    expect(submitted.status).toBe(200);
    await Promise.all([a.bot.deliverOutbox(), b.bot.deliverOutbox()]);
    const approvals = a.emulator.messages(ADMIN_CHANNEL);
    expect(approvals).toHaveLength(1);
    const message = approvals[0]!;

    const approve = buildBlockActionsPayload(a.emulator, {
      user_id: ADMIN_B,
      action: { action_id: 'takeover_approve' },
      message: { channel: ADMIN_CHANNEL, ts: message.ts },
    });
    const answers = await Promise.all([sendInteraction(a.target, approve), sendInteraction(b.target, approve)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await Promise.all([a.bot.deliverOutbox(), b.bot.deliverOutbox()]);
    await Promise.all([a.bot.deliverOutbox(), b.bot.deliverOutbox()]);

    const request = await prisma.takeoverRequest.findFirstOrThrow({ where: { subscriptionId: own.id } });
    expect(request).toMatchObject({ status: 'EXECUTED', decidedBy: ADMIN_B, usersAffected: holders });
    expect(await prisma.auditEvent.count({ where: { subjectId: request.id, action: 'takeover.approved', outcome: 'ok' } })).toBe(1);
    // Each change of the subscription recorded once (a second execution would repeat them).
    const changes = (await prisma.auditEvent.findMany({ where: { subjectId: own.id } })).map((event) => event.action);
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes).size).toBe(changes.length);
    expect(
      await prisma.licenseAssignment.count({
        where: {
          subscriptionId: central.id,
          userId: { in: (await prisma.licenseAssignment.findMany({ where: { subscriptionId: own.id } })).map((x) => x.userId) },
        },
      }),
    ).toBe(holders);
    expect(a.emulator.messages(a.emulator.dmChannel(MEERA))).toHaveLength(1);
    expect(a.emulator.messages(ADMIN_CHANNEL)).toHaveLength(1);
    const outcomeUpdates = a.emulator.calls.filter((call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('users moved'));
    expect(outcomeUpdates).toHaveLength(1);
    expect(textOf(a.emulator.message(ADMIN_CHANNEL, message.ts)!.blocks)).toContain(`Approved by <@${ADMIN_B}>`);
  });

  it('runs a scheduled slot that comes due on both once: one digest, each reminder once, one claim per job', async () => {
    const { a, b } = bots;
    const prisma = a.database.prisma;
    // Both start sweeping before the 09:00 slot, then both wake for it at the same moment.
    await Promise.all([a.bot.sweepJobs(), b.bot.sweepJobs()]);
    setBoth(bots, new Date('2026-11-25T09:00:05Z'));
    const reports = await Promise.all([a.bot.sweepJobs(), b.bot.sweepJobs()]);
    for (const name of ['digest', 'reminders']) {
      const outcomes = reports.map((report) => report.find((r) => r.job === name)?.outcome).sort();
      expect(outcomes, name).toEqual(['ran', 'skipped']);
    }
    await Promise.all([a.bot.deliverOutbox(), b.bot.deliverOutbox()]);
    await Promise.all([a.bot.deliverOutbox(), b.bot.deliverOutbox()]);

    const posts = a.emulator.messages(ADMIN_CHANNEL).map((m) => JSON.stringify(m.blocks));
    const digest = reports.flat().find((r) => r.job === 'digest' && r.outcome === 'ran');
    expect(digest).toMatchObject({ summary: { status: 'posted', count: 40, messages: 2 } });
    expect(posts.filter((post) => post.includes('New self-service purchases (part'))).toHaveLength(2);
    const reminded = reports.flat().find((r) => r.job === 'reminders' && r.outcome === 'ran');
    expect(reminded).toMatchObject({
      summary: {
        reminded: [
          { thresholdDays: 7, count: 2 },
          { thresholdDays: 30, count: 9 },
        ],
      },
    });
    expect(posts.filter((post) => post.includes('Renewing within'))).toHaveLength(2);
    expect(await prisma.reminderSent.count()).toBe(11);
    const runs = await prisma.jobRun.findMany({
      where: { slot: new Date('2026-11-25T09:00:00Z'), job: { in: ['digest', 'reminders'] } },
      select: { job: true, status: true },
    });
    expect(runs.sort((x, y) => x.job.localeCompare(y.job))).toEqual([
      { job: 'digest', status: 'done' },
      { job: 'reminders', status: 'done' },
    ]);
    // Nothing posted twice: every message once.
    expect(new Set(posts).size).toBe(posts.length);
    expect(a.emulator.calls.filter((call) => call.method === 'chat.postMessage')).toHaveLength(posts.length);
  });
});

describe.runIf(onPostgres)('two replicas syncing one Microsoft 365 tenant', () => {
  const NOW = new Date('2026-11-25T08:59:00Z');
  let fake: FakeMicrosoft;
  beforeAll(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), now: () => NOW });
  });
  afterAll(async () => {
    await fake?.close();
  });
  const bots = twoReplicas(() => ({
    demo: false,
    now: NOW,
    env: microsoftEnv(fake, { MS_MAX_RETRIES: '0', MS_LICENSE_PACE_MS: '0', TENANT_SYNC_CRON: '0 9 * * *' }),
  }));

  it('syncs once when the sync slot comes due on both, and once when both are asked at the same moment', async () => {
    const { a, b } = bots;
    const prisma = a.database.prisma;
    await Promise.all([a.bot.sweepJobs(), b.bot.sweepJobs()]);
    setBoth(bots, new Date('2026-11-25T09:00:00Z'));
    const reports = await Promise.all([a.bot.sweepJobs(), b.bot.sweepJobs()]);
    // The policy guard's first run comes due at the same moment on the other replica, and records the same products.
    expect(reports.map((report) => report.find((r) => r.job === 'tenant-sync')?.outcome).sort(), JSON.stringify(reports)).toEqual(['ran', 'skipped']);
    expect(await prisma.auditEvent.count({ where: { action: 'tenant.synced' } })).toBe(1);
    expect(await prisma.subscription.count()).toBe(5);
    const firstSeen = await prisma.auditEvent.count({ where: { action: 'subscription.first_seen' } });
    expect(firstSeen).toBe(5);

    fake.graph.users.get(GRAPH_USERS.kim.id)!.displayName = 'Kim Larsen-Berg';
    const [fromA, fromB] = await Promise.all([a.command(ADMIN_A, 'sync'), b.command(ADMIN_B, 'sync')]);
    // One ran; the other was told a sync is under way (or, had it come later, found nothing to change).
    const said = textOf([...fromA.replies, ...fromB.replies]);
    expect(said.split('*Changed:* 1 person — Kim Larsen-Berg')).toHaveLength(2);
    const syncs = await prisma.auditEvent.findMany({ where: { action: 'tenant.synced' }, orderBy: { at: 'asc' } });
    expect(syncs.map((sync) => sync.actorId)).toEqual(['tenant-sync', expect.stringMatching(/^U0ADMIN000[12]$/)]);
    expect(syncs[1]!.after).toContain('"changed":{"subscriptions":0,"people":1');
    expect(await prisma.auditEvent.count({ where: { action: 'subscription.first_seen' } })).toBe(firstSeen);
  });
});
