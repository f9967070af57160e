import { describe, expect, it } from 'vitest';
import { subMonths } from 'date-fns';
import { buildDemoTenant, DEMO_EXAMPLES, emailLocalPart, type DemoSubscription } from '../../src/tenant/local/demo-tenant.js';

const NOW = new Date('2025-06-15T09:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Microsoft's self-service purchase catalogue: each product's 12-character ProductId and name. */
const SELF_SERVICE_CATALOGUE = {
  CFQ7TTC0H9MP: 'Power BI Pro',
  CFQ7TTC0LH2H: 'Power Apps per user',
  CFQ7TTC0LH3L: 'Power Automate per user',
  CFQ7TTC0HDB0: 'Project Plan 3',
  CFQ7TTC0HD33: 'Visio Plan 1',
  CFQ7TTC0HD32: 'Visio Plan 2',
  CFQ7TTC0HDB1: 'Planner Plan 1',
  CFQ7TTC0MM8R: 'Microsoft 365 Copilot',
  CFQ7TTC0J1FV: 'Teams Exploratory',
  CFQ7TTC0N8SS: 'Clipchamp Premium',
  CFQ7TTC0H6RP: 'Power BI Premium',
  CFQ7TTC0LSGZ: 'Power Automate RPA',
  CFQ7TTC0LH05: 'Microsoft 365 F3',
  CFQ7TTC0N8SL: 'Microsoft Purview Discovery',
  CFQ7TTC0S3X1: 'Python in Excel',
  CFQ7TTC0RM8K: 'Teams Premium Introductory Pricing',
  CFQ7TTC0PW0V: 'Viva Goals',
};

const tenant = buildDemoTenant(NOW);
const selfService = tenant.subscriptions.filter((s) => s.isSelfService);
const central = tenant.subscriptions.filter((s) => !s.isSelfService);

function activeAssignments(subscription: DemoSubscription) {
  return tenant.assignments.filter((a) => a.subscriptionId === subscription.id && a.removedAt === null);
}

function expiringWithin(days: number): DemoSubscription[] {
  return selfService.filter((s) => s.status === 'Active' && s.expiresAt.getTime() > NOW.getTime() && s.expiresAt.getTime() - NOW.getTime() <= days * DAY_MS);
}

describe('buildDemoTenant', () => {
  it('gives the same tenant for the same now', () => {
    expect(buildDemoTenant(new Date(NOW))).toEqual(tenant);
  });

  it('keeps ids, names and assignments when only now changes, moving the dates along', () => {
    const later = buildDemoTenant(new Date(NOW.getTime() + 40 * DAY_MS));
    expect(later.subscriptions.map((s) => s.id)).toEqual(tenant.subscriptions.map((s) => s.id));
    expect(later.people).toEqual(tenant.people);
    expect(later.assignments.map((a) => [a.subscriptionId, a.userId])).toEqual(tenant.assignments.map((a) => [a.subscriptionId, a.userId]));
    expect(later.subscriptions[0]?.expiresAt.getTime()).toBe((tenant.subscriptions[0]?.expiresAt.getTime() ?? 0) + 40 * DAY_MS);
  });

  it('has the subscriptions and the purchaser that the documented examples name, whatever day it is seeded', () => {
    for (const when of [NOW, new Date(NOW.getTime() + 200 * DAY_MS)]) {
      const demo = buildDemoTenant(when);
      const meera = demo.people.find((p) => p.email === DEMO_EXAMPLES.purchaser.email)!;
      expect(meera.name).toBe(DEMO_EXAMPLES.purchaser.name);
      for (const id of [DEMO_EXAMPLES.renewingSubscriptionId, DEMO_EXAMPLES.otherSubscriptionId]) {
        const subscription = demo.subscriptions.find((s) => s.id === id);
        expect(subscription).toMatchObject({ purchaserId: meera.id, productId: 'CFQ7TTC0H9MP', status: 'Active', isSelfService: true });
        // Short ids in the examples: no other subscription starts like them.
        expect(demo.subscriptions.filter((s) => s.id.startsWith(id.slice(0, 8)))).toHaveLength(1);
      }
    }
  });

  it('lists the 17 products of the self-service catalogue with their exact ids and names', () => {
    const products = tenant.products.filter((p) => p.kind === 'product');
    expect(Object.fromEntries(products.map((p) => [p.id, p.name]))).toEqual(SELF_SERVICE_CATALOGUE);
    expect(products).toHaveLength(17);
    for (const product of products) expect(product.id).toMatch(/^[A-Z0-9]{12}$/);
  });

  it('mixes policy values, most products Enabled', () => {
    const products = tenant.products.filter((p) => p.kind === 'product');
    const count = (value: string) => products.filter((p) => p.policyValue === value).length;
    expect(count('Enabled')).toBeGreaterThan(products.length / 2);
    expect(count('Disabled')).toBeGreaterThanOrEqual(2);
    expect(count('OnlyTrialsWithoutPaymentMethod')).toBeGreaterThanOrEqual(1);
    expect(count('Enabled') + count('Disabled') + count('OnlyTrialsWithoutPaymentMethod')).toBe(17);
  });

  it('lists the four offer types with Enabled or Disabled only', () => {
    const offers = tenant.products.filter((p) => p.kind === 'offerType');
    expect(offers.map((o) => o.id).sort()).toEqual(['DYNAMICSBC', 'DYNAMICSCE', 'POWERBIVISUALS', 'SaaS']);
    for (const offer of offers) {
      expect(['Enabled', 'Disabled']).toContain(offer.policyValue);
      expect(offer.name.length).toBeGreaterThan(3);
    }
  });

  it('has about 300 people with unique lower-case emails at the demo domain', () => {
    expect(tenant.people).toHaveLength(300);
    const emails = tenant.people.map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+@contoso\.com$/);
    expect(new Set(tenant.people.map((p) => p.name.split(' ')[0])).size).toBeGreaterThan(100);
  });

  it('folds accents and special letters out of email addresses', () => {
    expect(emailLocalPart('Søren')).toBe('soren');
    expect(emailLocalPart('Håkansson')).toBe('hakansson');
    expect(emailLocalPart('Nguyễn')).toBe('nguyen');
    expect(emailLocalPart("O'Brien")).toBe('obrien');
    expect(emailLocalPart('van den Berg')).toBe('vandenberg');
  });

  it('gives every person, subscription and assignment a unique lower-case uuid', () => {
    const ids = [...tenant.people.map((p) => p.id), ...tenant.subscriptions.map((s) => s.id), ...tenant.assignments.map((a) => a.id)];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has about 40 self-service subscriptions from about 25 purchasers, all bought in the last 14 months', () => {
    expect(selfService).toHaveLength(40);
    expect(new Set(selfService.map((s) => s.purchaserId)).size).toBe(25);
    const people = new Set(tenant.people.map((p) => p.id));
    for (const subscription of selfService) {
      expect(people.has(subscription.purchaserId ?? '')).toBe(true);
      expect(subscription.purchasedAt.getTime()).toBeGreaterThanOrEqual(subMonths(NOW, 14).getTime());
      expect(subscription.purchasedAt.getTime()).toBeLessThan(NOW.getTime());
      expect(subscription.source).toBe('seed');
    }
  });

  it('never assigns more licenses than were purchased, nor one user twice in a subscription', () => {
    for (const subscription of tenant.subscriptions) {
      const rows = tenant.assignments.filter((a) => a.subscriptionId === subscription.id);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(subscription.licensesPurchased);
      expect(new Set(rows.map((a) => a.userId)).size).toBe(rows.length);
      for (const row of rows) {
        expect(row.assignedAt.getTime()).toBeGreaterThanOrEqual(subscription.purchasedAt.getTime());
        expect(row.assignedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      }
    }
  });

  it('lets most purchasers hold one of their own licenses', () => {
    const holdingOwn = selfService.filter((s) => tenant.assignments.some((a) => a.subscriptionId === s.id && a.userId === s.purchaserId));
    expect(holdingOwn.length).toBeGreaterThan(selfService.length / 2);
  });

  it('prices in non-negative integer minor units, trials at zero for 30 days', () => {
    for (const subscription of tenant.subscriptions) {
      expect(Number.isInteger(subscription.unitPriceMinor)).toBe(true);
      expect(subscription.unitPriceMinor).toBeGreaterThanOrEqual(0);
      expect(['USD', 'EUR', 'GBP']).toContain(subscription.currency);
    }
    const trials = selfService.filter((s) => s.isTrial);
    expect(trials.length).toBeGreaterThanOrEqual(2);
    for (const trial of trials) {
      expect(trial.unitPriceMinor).toBe(0);
      expect(trial.expiresAt.getTime() - trial.purchasedAt.getTime()).toBe(30 * DAY_MS);
    }
    const paid = selfService.filter((s) => !s.isTrial);
    for (const subscription of paid) expect(subscription.unitPriceMinor).toBeGreaterThan(0);
    expect(new Set(paid.map((s) => s.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
    expect(selfService.find((s) => s.productId === 'CFQ7TTC0H9MP' && s.currency === 'USD' && !s.isTrial)?.unitPriceMinor).toBe(1400);
  });

  it('has subscriptions renewing within 1, 7 and 30 days, and most later', () => {
    expect(expiringWithin(1).length).toBeGreaterThanOrEqual(1);
    expect(expiringWithin(7).length).toBeGreaterThanOrEqual(2);
    expect(expiringWithin(30).length).toBeGreaterThanOrEqual(6);
    expect(expiringWithin(30).length).toBeLessThan(selfService.length / 2);
    for (const subscription of tenant.subscriptions) {
      expect(subscription.expiresAt.getTime()).toBeGreaterThan(NOW.getTime());
    }
  });

  it('keeps the promised expiry spread whatever day it is seeded', () => {
    for (let day = 0; day < 366; day += 7) {
      const now = new Date(NOW.getTime() + day * DAY_MS);
      const subscriptions = buildDemoTenant(now).subscriptions.filter((s) => s.isSelfService && s.status === 'Active');
      const within = (days: number) => subscriptions.filter((s) => s.expiresAt.getTime() - now.getTime() <= days * DAY_MS).length;
      expect([within(1), within(7), within(30)]).toEqual([1, 3, 12]);
    }
  });

  it('shows a handful of purchases first seen in the last 2 days, the rest near their purchase date', () => {
    const recent = selfService.filter((s) => NOW.getTime() - s.firstSeenAt.getTime() < 2 * DAY_MS);
    expect(recent.length).toBeGreaterThanOrEqual(3);
    expect(recent.length).toBeLessThanOrEqual(6);
    for (const subscription of tenant.subscriptions) {
      expect(subscription.firstSeenAt.getTime()).toBeGreaterThanOrEqual(subscription.purchasedAt.getTime());
      expect(subscription.firstSeenAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(subscription.firstSeenAt.getTime() - subscription.purchasedAt.getTime()).toBeLessThanOrEqual(DAY_MS);
    }
  });

  it('keeps cancelled subscriptions on record with who, when and why, their licenses removed', () => {
    const deleted = selfService.filter((s) => s.status === 'Deleted');
    expect(deleted.length).toBeGreaterThanOrEqual(3);
    expect(deleted.length).toBeLessThanOrEqual(4);
    for (const subscription of deleted) {
      expect(subscription.cancelledAt).toBeInstanceOf(Date);
      expect(subscription.cancelledAt?.getTime()).toBeGreaterThan(subscription.purchasedAt.getTime());
      expect(subscription.cancelledAt?.getTime()).toBeLessThan(NOW.getTime());
      expect(subscription.cancelledBy).toBeTruthy();
      expect(subscription.cancelReason).toBeTruthy();
      const rows = tenant.assignments.filter((a) => a.subscriptionId === subscription.id);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.removedAt).toEqual(subscription.cancelledAt);
    }
    expect(deleted.map((s) => s.cancelledBy)).toContain('tenant');
    expect(deleted.some((s) => s.cancelledBy !== 'tenant')).toBe(true);
    for (const subscription of tenant.subscriptions.filter((s) => s.status === 'Active')) {
      expect([subscription.cancelledAt, subscription.cancelledBy, subscription.cancelReason]).toEqual([null, null, null]);
    }
  });

  it('has 5 central subscriptions with enough free seats to take over the biggest self-service one', () => {
    // Power BI Pro, Visio Plan 2 and Project Plan 3 for take-overs; Power Automate per user (cheaper than
    // self-service) and Visio Plan 1 (dearer) for the savings finder.
    expect(central).toHaveLength(5);
    for (const subscription of central) {
      expect(subscription.purchaserId).toBeNull();
      const free = subscription.licensesPurchased - activeAssignments(subscription).length;
      expect(free).toBeGreaterThan(0);
      const biggest = Math.max(
        ...selfService.filter((s) => s.productId === subscription.productId && s.status === 'Active').map((s) => activeAssignments(s).length),
      );
      expect(free).toBeGreaterThanOrEqual(biggest);
    }
  });

  it('gives a central license to one person only who also holds a self-service one (the savings finder’s “paying twice”)', () => {
    const twice: string[] = [];
    for (const subscription of central) {
      const selfServiceHolders = new Set(
        tenant.assignments.filter((a) => selfService.some((s) => s.id === a.subscriptionId && s.productId === subscription.productId)).map((a) => a.userId),
      );
      for (const row of activeAssignments(subscription)) if (selfServiceHolders.has(row.userId)) twice.push(row.userId);
    }
    expect(twice).toHaveLength(1);
    const examples: string[] = [DEMO_EXAMPLES.renewingSubscriptionId, DEMO_EXAMPLES.otherSubscriptionId];
    const powerBiPro = central.find((s) => activeAssignments(s).some((a) => a.userId === twice[0]))!.productId;
    const selfServiceOfTwice = tenant.assignments.filter(
      (a) => a.userId === twice[0] && selfService.some((s) => s.id === a.subscriptionId && s.productId === powerBiPro),
    );
    expect(selfServiceOfTwice).toHaveLength(1);
    expect(examples).not.toContain(selfServiceOfTwice[0]!.subscriptionId);
  });

  it('has one person with a disabled account who holds a self-service license', () => {
    const disabled = tenant.people.filter((p) => p.accountEnabled === false);
    expect(disabled).toHaveLength(1);
    expect(tenant.assignments.some((a) => a.userId === disabled[0]!.id && selfService.some((s) => s.id === a.subscriptionId && s.status === 'Active'))).toBe(
      true,
    );
  });
});
