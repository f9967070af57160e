import { describe, expect, it } from 'vitest';
import { centralizePlan } from '../../src/services/centralize.js';
import { loadDashboard } from '../../src/services/dashboard.js';
import { listSubscriptions } from '../../src/services/list-subscriptions.js';
import { selectDigest } from '../../src/services/post-digest.js';
import { selectDueReminders } from '../../src/services/send-reminders.js';
import { showSubscription } from '../../src/services/show-subscription.js';
import { centralizeMessage } from '../../src/slack/blocks/centralize.js';
import { digestMessages } from '../../src/slack/blocks/digest.js';
import { subscriptionLine } from '../../src/slack/blocks/subscription-line.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { sqliteOnly, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');

describe.each(sqliteOnly)('subscriptions with no known price or renewal date on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });

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

  it('counts a cancelled subscription neither in the spend nor among the unknown prices: digest, App Home and centralize agree', async () => {
    const { priced } = await twoSubscriptions();
    const cy = await aPerson(database.prisma, { name: 'Cy Dar' });
    for (const price of [
      { unitPriceMinor: 1000, currency: 'USD' },
      { unitPriceMinor: null, currency: null },
    ]) {
      await aSubscription(database.prisma, {
        productId: priced.productId,
        purchaserId: cy.id,
        licensesPurchased: 2,
        ...price,
        status: 'Deleted',
        cancelledAt: new Date('2026-11-24T13:00:00Z'),
        firstSeenAt: new Date('2026-11-24T12:00:00Z'),
      });
    }

    const digest = await selectDigest(database.prisma, null, now);
    expect(digest.totals).toEqual({ count: 4, active: 2, licenses: 8, monthly: [{ amountMinor: 4200, currency: 'USD' }], unknownPrices: 1 });
    expect(JSON.stringify(digestMessages(digest, now, 'UTC'))).toContain(
      '4 purchases (2 of them already cancelled) · 8 active licenses · $42.00 per month (1 price unknown, not counted)',
    );

    const dashboard = await loadDashboard(ctx);
    expect(dashboard.spendByProduct).toEqual([
      expect.objectContaining({ subscriptions: 2, monthly: [{ amountMinor: 4200, currency: 'USD' }], unknownPrices: 1 }),
    ]);
    expect([dashboard.spendTotal, dashboard.spendUnknownPrices]).toEqual([[{ amountMinor: 4200, currency: 'USD' }], 1]);

    const plan = await centralizePlan(ctx, 'Power BI Pro');
    expect(plan.selfServiceSpend).toEqual({ monthly: [{ amountMinor: 4200, currency: 'USD' }], unknownPrices: 1 });
    expect(JSON.stringify(centralizeMessage(plan))).toContain('$42.00 per month (1 price unknown, not counted), no longer paid once they are cancelled');
  });

  it('reminds only the subscriptions that have a renewal date', async () => {
    const { priced } = await twoSubscriptions();
    const groups = await selectDueReminders(ctx, [30, 7, 1]);
    expect(groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([priced.id]);
  });
});
