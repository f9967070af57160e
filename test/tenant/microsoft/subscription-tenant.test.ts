/**
 * Take-overs on a real tenant: the services with the microsoft SubscriptionTenant, over the
 * in-process Microsoft fake (https, Graph's documented shapes), on a real database filled by a sync.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { graphFailures, graphTenant, startFakeMicrosoft, type FakeGraphTenant, type FakeMicrosoft } from '../../../src/devkit/microsoft-fake/index.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/devkit/slack-emulator/index.js';
import { skuByPartNumber, skuBySkuId } from '../../../src/domain/sku-catalog.js';
import type { ServiceContext } from '../../../src/services/context.js';
import { runSyncExclusive } from '../../../src/services/sync-tenant.js';
import { approveTakeover, markCancelledInAdminCenter, resumeStuckTakeovers, type DecisionDeps } from '../../../src/services/takeover/decide.js';
import { describeTakeover } from '../../../src/services/takeover/describe.js';
import { requestTakeover } from '../../../src/services/takeover/request.js';
import { approvalMessage, takeoverNotices } from '../../../src/slack/blocks/takeover.js';
import { slackDirectory } from '../../../src/slack/directory.js';
import type { MicrosoftTenant } from '../../../src/tenant/microsoft/index.js';
import { createMicrosoftSubscriptionTenant } from '../../../src/tenant/microsoft/subscription-tenant.js';
import { microsoftTenantOf } from '../../support/microsoft.js';
import { dialectProviders, onSqliteOnly, useTestDatabase } from '../../support/database.js';

const T0 = new Date('2026-11-25T09:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const REQUESTER = 'U0ADMIN0001';
const APPROVER = 'U0ADMIN0002';
const GROUP = '7a1e0000-0000-4000-8000-00000000c0de';
const VISIO = skuByPartNumber('VISIOCLIENT')!.skuId;
const PBI = skuByPartNumber('POWER_BI_PRO')!.skuId;

const uid = (n: number) => `0b0b0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SUB = {
  visio: '5e1f0000-0000-4000-8000-00000000aa01',
  pbiCentral: '5e1f0000-0000-4000-8000-00000000aa02',
  pbiOwn: '5e1f0000-0000-4000-8000-00000000aa03',
};

/**
 * Visio Plan 2 bought by Ada, held by Ada, Ben, Cy and Dan directly and by Gus through a group.
 * Power BI Pro: a central subscription of 8 and one of 4 bought by Ben, 12 seats for 10 holders.
 */
function tenant(): FakeGraphTenant {
  const at = T0.toISOString();
  const subscription = (id: string, skuId: string, part: string, total: number, owner: string | null) => ({
    id,
    commerceSubscriptionId: `c-${id}`,
    skuId,
    skuPartNumber: part,
    status: 'Enabled' as const,
    totalLicenses: total,
    isTrial: false,
    createdDateTime: at,
    nextLifecycleDateTime: new Date(T0.getTime() + 300 * 86_400_000).toISOString(),
    ownerId: owner,
    ownerTenantId: null,
    ownerType: owner ? 'User' : null,
  });
  const named = ['Ada Park', 'Ben Ode', 'Cy Young', 'Dan Ruiz'].map((name, i) =>
    graphTenant.user(uid(i + 1), name, `${name.split(' ')[0]!.toLowerCase()}@contoso.com`, [
      graphTenant.direct(VISIO),
      ...(i === 1 ? [graphTenant.direct(PBI)] : []),
    ]),
  );
  const gus = graphTenant.user(uid(5), 'Gus Via', 'gus@contoso.com', [graphTenant.viaGroup(VISIO, GROUP)]);
  const pbiHolders = Array.from({ length: 9 }, (_, i) => graphTenant.user(uid(10 + i), `Pat ${i}`, `pat${i}@contoso.com`, [graphTenant.direct(PBI)]));
  return {
    skus: [graphTenant.sku(VISIO, 'VISIOCLIENT', 5, [`c-${SUB.visio}`]), graphTenant.sku(PBI, 'POWER_BI_PRO', 12, [`c-${SUB.pbiCentral}`, `c-${SUB.pbiOwn}`])],
    subscriptions: [
      subscription(SUB.visio, VISIO, 'VISIOCLIENT', 5, uid(1)),
      subscription(SUB.pbiCentral, PBI, 'POWER_BI_PRO', 8, null),
      subscription(SUB.pbiOwn, PBI, 'POWER_BI_PRO', 4, uid(2)),
    ],
    users: [...named, gus, ...pbiHolders],
  };
}

describe.each(dialectProviders)('take-overs on Microsoft 365 on %s', (provider) => {
  // What must happen once (each user's step, finishing a request) runs on every dialect; the rest on SQLite.
  const itOnSqlite = onSqliteOnly(provider);
  const database = useTestDatabase(provider);
  let emulator: SlackEmulator;
  let fake: FakeMicrosoft;
  let microsoft: MicrosoftTenant;
  let deps: DecisionDeps;
  const ctx = (now: Date): ServiceContext => ({ prisma: database.prisma, now, timeZone: 'UTC' });
  const sync = (now: Date) =>
    runSyncExclusive(ctx(now), { directory: microsoft.directory, skus: { skuBySkuId }, actor: { slackUserId: 'tenant-sync' }, takeoverNotices });
  const assignLicenseCalls = (userId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1.0/users/${userId}/assignLicense`).length;

  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [{ id: 'U0ADAPARK1', name: 'ada', real_name: 'Ada Park', email: 'ada@contoso.com' }] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ graph: tenant(), now: () => T0 });
    microsoft = microsoftTenantOf(fake, { MS_MAX_RETRIES: '0' });
    let now = T0;
    deps = {
      tenant: createMicrosoftSubscriptionTenant({ prisma: database.prisma, licenses: microsoft.licenses, clock: () => now, paceMs: 0 }),
      directory: slackDirectory(new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, retryConfig: { retries: 0 } })),
      notices: takeoverNotices,
    };
    // The clock the adapter stamps each user's change with follows the test's `now`.
    setClock = (date) => (now = date);
    expect((await sync(T0)).status).toBe('ran');
  });
  let setClock: (date: Date) => void = () => {};
  afterEach(async () => {
    await fake.close();
  });

  async function approvedCancel(now: Date) {
    const request = await requestTakeover(
      ctx(now),
      takeoverNotices,
      { slackUserId: REQUESTER },
      { subscriptionId: SUB.visio, kind: 'cancel', reason: 'No longer needed' },
      { adminChannelId: 'C0ADMINS01' },
    );
    setClock(now);
    return approveTakeover(ctx(now), deps, { slackUserId: APPROVER }, request.id, { requireSecondApprover: true });
  }

  it('removes the license user by user; a third user who fails is resumed later without repeating the first two, and a group’s license is named', async () => {
    fake.graph.failAlways('POST', `/v1.0/users/${uid(3)}/assignLicense`, graphFailures.unavailable());

    const partial = await approvedCancel(T0);

    expect(partial.status).toBe('APPROVED');
    expect(partial.licenseWork).toMatchObject({
      done: [{ name: 'Ada Park' }, { name: 'Ben Ode' }],
      group: [{ name: 'Gus Via', groups: [GROUP] }],
      waiting: [{ name: 'Cy Young', reason: expect.stringContaining('Microsoft Graph') }],
      notYet: 1,
    });
    const progress = JSON.stringify(approvalMessage(partial, 'UTC'));
    expect(progress).toContain('License removed from 2 users: Ada Park, Ben Ode');
    expect(progress).toContain('Not done yet: Cy Young (cy@contoso.com)');
    expect(progress).toContain('1 user not tried yet');
    expect(progress).toContain(`the license comes from a group`);
    expect(progress).toContain(GROUP);
    expect(fake.graph.users.get(uid(1))!.assignedLicenses).toEqual([]);
    expect(fake.graph.users.get(uid(4))!.assignedLicenses.map((l) => l.skuId)).toEqual([VISIO]);

    // Too early: the approval is still within its lease.
    expect((await resumeStuckTakeovers(ctx(minutes(5)), deps)).resumed).toEqual([]);
    fake.graph.failAlways('POST', `/v1.0/users/${uid(3)}/assignLicense`);
    setClock(minutes(11));
    expect((await resumeStuckTakeovers(ctx(minutes(11)), deps)).resumed).toEqual([partial.id]);

    const finished = await describeTakeover(database.prisma, partial.id);
    expect(finished.status).toBe('AWAITING_ADMIN_CENTER');
    expect(finished.licenseWork?.done.map((u) => u.name)).toEqual(['Ada Park', 'Ben Ode', 'Cy Young', 'Dan Ruiz']);
    expect([1, 2, 3, 4].map((n) => assignLicenseCalls(uid(n)))).toEqual([1, 1, 2, 1]);
    expect(assignLicenseCalls(uid(5))).toBe(0);
    // The record keeps the subscription until the admin center has cancelled it.
    expect(finished.subscription.status).toBe('Active');
    expect(finished.subscription.assigned).toBe(1);
    const outcome = JSON.stringify(approvalMessage(finished, 'UTC'));
    expect(outcome).toContain('Cancel the subscription in the Microsoft 365 admin center');
    expect(outcome).toContain('https://admin.microsoft.com/#/subscriptions');
    expect(outcome).toContain('takeover_marked_cancelled');
  });

  it('finishes once when an admin marks it cancelled, and a later sync seeing it deleted changes nothing more', async () => {
    const awaiting = await approvedCancel(T0);
    expect(awaiting.status).toBe('AWAITING_ADMIN_CENTER');
    const dms = await database.prisma.outboxMessage.findMany({ where: { kind: 'dm' }, orderBy: { dedupeKey: 'asc' } });
    expect(dms.map((m) => m.dedupeKey)).toEqual([`takeover:${awaiting.id}:admin-center`, `takeover:${awaiting.id}:purchaser`]);
    expect(JSON.parse(dms[1]!.payload).text).toContain('will be cancelled by an admin in the Microsoft 365 admin center');

    const done = await markCancelledInAdminCenter(ctx(minutes(30)), takeoverNotices, { slackUserId: REQUESTER }, awaiting.id);
    expect(done).toMatchObject({
      status: 'DONE',
      completedBy: REQUESTER,
      subscription: { status: 'Deleted', cancelledBy: REQUESTER, cancelReason: 'No longer needed', assigned: 0 },
    });
    await expect(markCancelledInAdminCenter(ctx(minutes(31)), takeoverNotices, { slackUserId: APPROVER }, awaiting.id)).rejects.toMatchObject({
      userMessage: `This take-over is already finished: <@${REQUESTER}> marked it cancelled.`,
    });

    fake.graph.subscriptions.get(SUB.visio)!.status = 'Deleted';
    const run = await sync(minutes(60));
    expect(run).toMatchObject({ status: 'ran', takeoversFinished: [] });
    expect(await database.prisma.auditEvent.count({ where: { action: 'takeover.cancel.completed' } })).toBe(1);
    expect(await database.prisma.outboxMessage.count({ where: { dedupeKey: `takeover:${awaiting.id}:done` } })).toBe(1);
  });

  it('finishes once when a sync sees the subscription deleted in the tenant, and the button then says so', async () => {
    const awaiting = await approvedCancel(T0);
    fake.graph.subscriptions.get(SUB.visio)!.status = 'Deleted';

    expect(await sync(minutes(30))).toMatchObject({ status: 'ran', takeoversFinished: [awaiting.id] });
    expect(await sync(minutes(60))).toMatchObject({ status: 'ran', takeoversFinished: [] });

    const done = await describeTakeover(database.prisma, awaiting.id);
    expect(done).toMatchObject({
      status: 'DONE',
      completedBy: 'tenant',
      subscription: { status: 'Deleted', cancelReason: 'No longer needed', cancelledBy: APPROVER },
    });
    expect(JSON.stringify(approvalMessage(done, 'UTC'))).toContain('a tenant sync saw it deleted in Microsoft 365');
    await expect(markCancelledInAdminCenter(ctx(minutes(61)), takeoverNotices, { slackUserId: REQUESTER }, awaiting.id)).rejects.toMatchObject({
      userMessage: 'This take-over is already finished: a tenant sync saw it deleted.',
    });
  });

  itOnSqlite('refuses a second take-over of a subscription waiting for the admin center, saying what is left to do', async () => {
    const awaiting = await approvedCancel(T0);
    expect(awaiting.status).toBe('AWAITING_ADMIN_CENTER');

    const again = requestTakeover(
      ctx(minutes(1)),
      takeoverNotices,
      { slackUserId: APPROVER },
      { subscriptionId: SUB.visio, kind: 'cancel', reason: 'No longer needed' },
      { adminChannelId: 'C0ADMINS01' },
    );

    await expect(again).rejects.toMatchObject({
      field: 'kind',
      userMessage: expect.stringContaining('waits for the admin center: cancel the subscription there'),
    });
    expect(await database.prisma.takeoverRequest.count({ where: { subscriptionId: SUB.visio } })).toBe(1);
  });

  itOnSqlite('refuses to move users to a subscription of the same license when the seats left would not cover its holders, touching nobody', async () => {
    const request = await requestTakeover(
      ctx(T0),
      takeoverNotices,
      { slackUserId: REQUESTER },
      { subscriptionId: SUB.pbiOwn, kind: 'move', targetSubscriptionId: SUB.pbiCentral },
      { adminChannelId: 'C0ADMINS01' },
    );

    const failed = await approveTakeover(ctx(T0), deps, { slackUserId: APPROVER }, request.id, { requireSecondApprover: true });

    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toBe(
      'Power BI Pro has 12 seats in Microsoft 365, 4 of them in subscription 5e1f0000; without them 8 remain for the 10 people holding it: 2 missing. Add licenses to subscription 5e1f0000 first',
    );
    expect(fake.requests.some((r) => r.path.endsWith('/assignLicense'))).toBe(false);
    expect(await database.prisma.takeoverStep.count()).toBe(0);
  });

  itOnSqlite('moves users to another SKU of the same product one call each, naming who Microsoft refused and why', async () => {
    const DEPT = skuByPartNumber('VISIO_PLAN2_DEPT')!.skuId;
    const dept = '5e1f0000-0000-4000-8000-00000000aa04';
    fake.graph.skus.set(DEPT, graphTenant.sku(DEPT, 'VISIO_PLAN2_DEPT', 10, [`c-${dept}`]));
    fake.graph.subscriptions.set(dept, {
      ...fake.graph.subscriptions.get(SUB.pbiCentral)!,
      id: dept,
      commerceSubscriptionId: `c-${dept}`,
      skuId: DEPT,
      skuPartNumber: 'VISIO_PLAN2_DEPT',
      totalLicenses: 10,
    });
    fake.graph.users.get(uid(4))!.usageLocation = null;
    await sync(minutes(1));
    const request = await requestTakeover(
      ctx(minutes(2)),
      takeoverNotices,
      { slackUserId: REQUESTER },
      { subscriptionId: SUB.visio, kind: 'move', targetSubscriptionId: dept },
      { adminChannelId: 'C0ADMINS01' },
    );

    const moved = await approveTakeover(ctx(minutes(2)), deps, { slackUserId: APPROVER }, request.id, { requireSecondApprover: true });

    expect(moved.status).toBe('AWAITING_ADMIN_CENTER');
    expect(moved.licenseWork).toMatchObject({
      done: [{ name: 'Ada Park' }, { name: 'Ben Ode' }, { name: 'Cy Young' }],
      refused: [{ name: 'Dan Ruiz', reason: 'License assignment cannot be done for user with invalid usage location.' }],
      group: [{ name: 'Gus Via' }],
    });
    expect(fake.graph.users.get(uid(1))!.assignedLicenses.map((l) => l.skuId)).toEqual([DEPT]);
    expect(fake.graph.users.get(uid(4))!.assignedLicenses.map((l) => l.skuId)).toEqual([VISIO]);
    expect(JSON.stringify(approvalMessage(moved, 'UTC'))).toContain(
      'Dan Ruiz (dan@contoso.com): License assignment cannot be done for user with invalid usage location.',
    );
    expect(moved.target?.assigned).toBe(3);
  });

  itOnSqlite(
    'moves users within one license once the seats suffice: nothing changes at Graph, the record moves them and waits for the admin center',
    async () => {
      fake.graph.skus.get(PBI)!.prepaidUnits.enabled = 14;
      const request = await requestTakeover(
        ctx(T0),
        takeoverNotices,
        { slackUserId: REQUESTER },
        { subscriptionId: SUB.pbiOwn, kind: 'move', targetSubscriptionId: SUB.pbiCentral },
        { adminChannelId: 'C0ADMINS01' },
      );

      const moved = await approveTakeover(ctx(T0), deps, { slackUserId: APPROVER }, request.id, { requireSecondApprover: true });

      expect(moved.status).toBe('AWAITING_ADMIN_CENTER');
      expect(fake.requests.some((r) => r.path.endsWith('/assignLicense'))).toBe(false);
      expect(fake.graph.users.get(uid(2))!.assignedLicenses.map((l) => l.skuId)).toContain(PBI);
    },
  );
});
