/** Test data with sensible defaults: a test states only what it is about. */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client.js';
import type { SubscriptionSummary } from '../../src/services/subscription-summary.js';

let sequence = 0;
const next = () => ++sequence;

export async function aProduct(prisma: PrismaClient, overrides: Partial<{ id: string; name: string; policyValue: string; kind: string }> = {}) {
  const n = next();
  return prisma.product.create({
    data: {
      id: overrides.id ?? `TESTPROD${String(n).padStart(4, '0')}`,
      name: overrides.name ?? `Test Product ${n}`,
      kind: overrides.kind ?? 'product',
      policyValue: overrides.policyValue ?? 'Enabled',
    },
  });
}

export async function aPerson(prisma: PrismaClient, overrides: Partial<{ id: string; name: string; email: string; slackUserId: string | null }> = {}) {
  const n = next();
  return prisma.person.create({
    data: {
      id: overrides.id ?? randomUUID(),
      name: overrides.name ?? `Person ${n}`,
      email: overrides.email ?? `person.${n}@contoso.test`,
      slackUserId: overrides.slackUserId ?? null,
    },
  });
}

export interface SubscriptionOverrides {
  id: string;
  productId: string;
  purchaserId: string | null;
  isSelfService: boolean;
  licensesPurchased: number;
  purchasedAt: Date;
  expiresAt: Date | null;
  unitPriceMinor: number | null;
  currency: string | null;
  isTrial: boolean;
  status: 'Active' | 'Deleted';
  firstSeenAt: Date;
  cancelledAt: Date;
  cancelledBy: string;
  cancelReason: string;
}

type SubscriptionInput = Partial<SubscriptionOverrides> & { productId: string };

function subscriptionData(overrides: SubscriptionInput) {
  const purchasedAt = overrides.purchasedAt ?? new Date('2026-06-01T10:00:00Z');
  return {
    id: overrides.id ?? randomUUID(),
    productId: overrides.productId,
    purchaserId: overrides.purchaserId ?? null,
    isSelfService: overrides.isSelfService ?? overrides.purchaserId != null,
    licensesPurchased: overrides.licensesPurchased ?? 5,
    purchasedAt,
    // null is a value here (unknown price or renewal date): only a missing override takes the default.
    expiresAt: overrides.expiresAt === undefined ? new Date('2027-06-01T10:00:00Z') : overrides.expiresAt,
    unitPriceMinor: overrides.unitPriceMinor === undefined ? 1400 : overrides.unitPriceMinor,
    currency: overrides.currency === undefined ? 'USD' : overrides.currency,
    isTrial: overrides.isTrial ?? false,
    status: overrides.status ?? 'Active',
    firstSeenAt: overrides.firstSeenAt ?? purchasedAt,
    cancelledAt: overrides.cancelledAt ?? null,
    cancelledBy: overrides.cancelledBy ?? null,
    cancelReason: overrides.cancelReason ?? null,
  };
}

export async function aSubscription(prisma: PrismaClient, overrides: SubscriptionInput) {
  return prisma.subscription.create({ data: subscriptionData(overrides) });
}

/** `count` subscriptions in one statement, the i-th made by `each(i)` over aSubscription's defaults; returns their ids. */
export async function manySubscriptions(prisma: PrismaClient, count: number, each: (i: number) => SubscriptionInput): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => subscriptionData(each(i)));
  await prisma.subscription.createMany({ data: rows });
  return rows.map((r) => r.id);
}

/** `count` people in one statement, named "<prefix> 0001"…, with ids and emails made from the name. */
export async function manyPeople(prisma: PrismaClient, count: number, prefix = 'User'): Promise<string[]> {
  const n = next();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `${prefix} ${String(i).padStart(4, '0')}`,
    email: `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${n}.${i}@contoso.test`,
  }));
  await prisma.person.createMany({ data: rows });
  return rows.map((r) => r.id);
}

export async function assign(prisma: PrismaClient, subscriptionId: string, userIds: string[], assignedAt = new Date('2026-06-02T10:00:00Z')) {
  await prisma.licenseAssignment.createMany({
    data: userIds.map((userId) => ({ id: randomUUID(), subscriptionId, userId, assignedAt })),
  });
}

/** A subscription as views get it; `n` makes its id (and purchaser) distinct. */
export function aSubscriptionSummary(n = 1, overrides: Partial<SubscriptionSummary> = {}): SubscriptionSummary {
  const id = `3f2b9c1a-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    shortId: id.slice(0, 8),
    product: { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' },
    isSelfService: true,
    purchaser: { id: `p${n}`, name: 'Ana López', email: 'ana.lopez@contoso.com', slackUserId: null },
    licensesPurchased: 5,
    assigned: 3,
    purchasedAt: new Date('2026-06-01T00:00:00Z'),
    expiresAt: new Date('2026-11-30T00:00:00Z'),
    unitPrice: { amountMinor: 1400, currency: 'USD' },
    monthlyPrice: { amountMinor: 7000, currency: 'USD' },
    isTrial: false,
    status: 'Active',
    selfServiceSource: 'local',
    seenDeletedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    cancelComment: null,
    firstSeenAt: new Date('2026-06-01T00:00:00Z'),
    ...overrides,
  };
}
