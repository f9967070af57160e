import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { assignCentralLicenses, centralizePlan } from '../../src/services/centralize.js';
import type { ServiceContext } from '../../src/services/context.js';
import { exportUsers } from '../../src/services/export-users.js';
import { listSubscriptions, TOTAL_CAP } from '../../src/services/list-subscriptions.js';
import { selectDueReminders } from '../../src/services/send-reminders.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import { aProduct, aSubscription, assign, manyPeople, manySubscriptions } from '../support/builders.js';
import { createTestDatabase, dialectProviders } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
// More than SQLite's 999 bind parameters: a query with one parameter per subscription or user fails (P2029).
const SUBSCRIPTIONS = 1_200;

describe.each(dialectProviders)('a product with more than a thousand subscriptions on %s', (provider) => {
  let database: Database;
  let ctx: ServiceContext;
  let central: string;
  let holders: string[];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ctx = { prisma: database.prisma, now, timeZone: 'UTC' };
    const product = await aProduct(database.prisma, { name: 'Power BI Pro', id: 'CFQ7TTC0H9MP' });
    const purchasers = await manyPeople(database.prisma, SUBSCRIPTIONS, 'Buyer');
    holders = await manyPeople(database.prisma, SUBSCRIPTIONS, 'Holder');
    const subscriptions = await manySubscriptions(database.prisma, SUBSCRIPTIONS, (i) => ({
      productId: product.id,
      purchaserId: purchasers[i]!,
      licensesPurchased: 1,
      expiresAt: new Date(now.getTime() + (i % 5) * 86_400_000 + 3_600_000),
    }));
    await database.prisma.licenseAssignment.createMany({
      data: subscriptions.map((subscriptionId, i) => ({
        id: `${subscriptionId.slice(0, 24)}${String(i).padStart(12, '0')}`,
        subscriptionId,
        userId: holders[i]!,
        assignedAt: now,
      })),
    });
    central = (await aSubscription(database.prisma, { productId: product.id, isSelfService: false, licensesPurchased: SUBSCRIPTIONS + 10 })).id;
    await assign(database.prisma, central, [holders[0]!]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('exports every licensed user of the product, each once', async () => {
    const csv = await exportUsers(ctx, { slackUserId: 'U0ADMIN001' }, { kind: 'product', product: 'Power BI Pro' });
    const lines = (await readFile(csv.path, 'utf8')).trim().split('\r\n').slice(1);
    await csv.dispose();
    expect(csv.rows).toBe(SUBSCRIPTIONS + 1);
    expect(lines).toHaveLength(SUBSCRIPTIONS + 1);
    expect(new Set(lines).size).toBe(SUBSCRIPTIONS + 1);
    expect(lines.filter((line) => line.includes('Central subscription'))).toHaveLength(1);
  });

  it('pages exactly through the subscriptions of the purchasers a filter matches, whether more than the cap match or fewer', async () => {
    // Newest first, then by id: what every page of the list shows.
    const newest = (
      await database.prisma.subscription.findMany({
        where: { isSelfService: true, status: 'Active' },
        select: { id: true, purchaser: { select: { name: true } } },
        orderBy: [{ purchasedAt: 'desc' }, { id: 'desc' }],
      })
    ).map((s) => ({ id: s.id, name: s.purchaser!.name }));
    const pages = async (purchaser: string, count: number) => {
      const shown = [await listSubscriptions(ctx, { filters: { status: 'active', purchaser } })];
      while (shown.length < count && shown.at(-1)!.nextCursor) shown.push(await listSubscriptions(ctx, { cursor: shown.at(-1)!.nextCursor! }));
      return shown;
    };

    // Every purchaser: more than the cap, read in date order.
    const broad = await pages('buyer', 2);
    expect(broad[0]).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(broad.flatMap((p) => p.items.map((s) => s.id))).toEqual(newest.slice(0, 40).map((s) => s.id));

    // Buyer 0000 to 0099: a hundred, read from the word index, every page and back.
    const narrow = await pages('buyer 00', 10);
    const expected = newest.filter((s) => /^Buyer 00\d\d$/.test(s.name)).map((s) => s.id);
    expect(narrow[0]).toMatchObject({ total: 100, totalCapped: false });
    expect(narrow.map((p) => p.items.length)).toEqual([20, 20, 20, 20, 20]);
    expect(narrow.flatMap((p) => p.items.map((s) => s.id))).toEqual(expected);
    expect(narrow.at(-1)!.nextCursor).toBeUndefined();
    const back = await listSubscriptions(ctx, { cursor: narrow[4]!.prevCursor! });
    expect(back.items.map((s) => s.id)).toEqual(expected.slice(60, 80));
  });

  it('selects the reminders due for all of its subscriptions', async () => {
    const groups = await selectDueReminders(ctx, [30, 7, 1]);
    expect(groups.reduce((sum, g) => sum + g.items.length, 0)).toBe(SUBSCRIPTIONS);
  });

  it('centralizes: every self-service holder without a central license gets one, at once', async () => {
    const plan = await centralizePlan(ctx, 'Power BI Pro');
    expect(plan.toAssign).toHaveLength(SUBSCRIPTIONS - 1);
    expect(plan.skipped.map((u) => u.id)).toEqual([holders[0]]);
    const { assigned } = await assignCentralLicenses(ctx, createLocalSubscriptionTenant(database.prisma), { slackUserId: 'U0ADMIN001' }, 'CFQ7TTC0H9MP');
    expect(assigned).toBe(SUBSCRIPTIONS - 1);
    const centralHolders = await database.prisma.licenseAssignment.findMany({ where: { subscriptionId: central, removedAt: null }, select: { userId: true } });
    expect(centralHolders.map((h) => h.userId).sort()).toEqual([...holders].sort());
  });
});
