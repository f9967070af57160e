import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDashboard } from '../../src/services/dashboard.js';
import { listSubscriptions } from '../../src/services/list-subscriptions.js';
import { selectDigest } from '../../src/services/post-digest.js';
import { selectDueReminders } from '../../src/services/send-reminders.js';
import { showSubscription } from '../../src/services/show-subscription.js';
import type { ServiceContext } from '../../src/services/context.js';
import { digestMessages } from '../../src/slack/blocks/digest.js';
import { subscriptionLine } from '../../src/slack/blocks/subscription-line.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { createTestDatabase, sqliteOnly } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');

describe.each(sqliteOnly)('subscriptions with no known price or renewal date on %s', (provider) => {
  let database: Database;
  let ctx: ServiceContext;

  beforeEach(async () => {
    database = await createTestDatabase(provider);
    ctx = { prisma: database.prisma, now, timeZone: 'UTC' };
  });
  afterEach(async () => {
    await database.close();
  });

  async function twoSubscriptions() {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const ana = await aPerson(database.prisma, { name: 'Ana López' });
    const bo = await aPerson(database.prisma, { name: 'Bo Chen' });
    const priced = await aSubscription(database.prisma, {
      productId: product.id,
      purchaserId: ana.id,
      licensesPurchased: 3,
      unitPriceMinor: 1400,
      currency: 'USD',
      expiresAt: new Date('2026-12-01T10:00:00Z'),
      firstSeenAt: new Date('2026-11-24T10:00:00Z'),
    });
    const unknown = await aSubscription(database.prisma, {
      id: 'aa11bb22-0000-4000-8000-000000000001',
      productId: product.id,
      purchaserId: bo.id,
      licensesPurchased: 5,
      unitPriceMinor: null,
      currency: null,
      expiresAt: null,
      firstSeenAt: new Date('2026-11-24T11:00:00Z'),
    });
    return { priced, unknown };
  }

  it('shows “price unknown” and “no renewal date” instead of a number or a date', async () => {
    await twoSubscriptions();
    const { subscription } = await showSubscription(ctx, 'aa11bb22');
    expect(subscription.unitPrice).toBeNull();
    expect(subscription.monthlyPrice).toBeNull();
    const line = subscriptionLine(subscription, now, 'UTC');
    expect(line).toContain('price unknown');
    expect(line).toContain('no renewal date');

    const page = await listSubscriptions(ctx, { filters: { status: 'active' } });
    expect(page.items.map((s) => subscriptionLine(s, now, 'UTC')).join('\n')).toContain('price unknown');
  });

  it('adds up only the known prices in the digest and says how many were unknown', async () => {
    await twoSubscriptions();
    const digest = await selectDigest(database.prisma, null, now);
    expect(digest.totals).toMatchObject({ count: 2, licenses: 8, monthly: [{ amountMinor: 4200, currency: 'USD' }], unknownPrices: 1 });
    const text = JSON.stringify(digestMessages(digest, now, 'UTC'));
    expect(text).toContain('$42.00 per month (1 price unknown, not counted)');
  });

  it('leaves unknown prices out of the dashboard’s spend and counts them', async () => {
    await twoSubscriptions();
    const dashboard = await loadDashboard(ctx);
    expect(dashboard.spendByProduct).toEqual([
      expect.objectContaining({ subscriptions: 2, monthly: [{ amountMinor: 4200, currency: 'USD' }], unknownPrices: 1 }),
    ]);
    expect(dashboard.spendTotal).toEqual([{ amountMinor: 4200, currency: 'USD' }]);
    expect(dashboard.spendUnknownPrices).toBe(1);
  });

  it('reminds only the subscriptions that have a renewal date', async () => {
    const { priced } = await twoSubscriptions();
    const groups = await selectDueReminders(ctx, [30, 7, 1]);
    expect(groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([priced.id]);
  });
});
