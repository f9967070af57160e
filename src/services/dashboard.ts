/** What App Home shows admins: plain data, computed from the record at `now`. */
import { addDays } from 'date-fns';
import { readDashboardNumbers } from '../db/repositories/dashboard.js';
import { findActiveSelfServiceExpiring, sumActiveSelfServiceSpend } from '../db/repositories/subscriptions.js';
import { findAwaitingAdminCenter, findPendingTakeovers } from '../db/repositories/takeovers.js';
import type { Money } from '../domain/money.js';
import { spendOfGroups, type Spend } from '../domain/spend.js';
import type { ServiceContext } from './context.js';
import { LAST_POLICY_SYNC_KEY } from './list-policies.js';
import { parseSavingsSnapshot, SAVINGS_SNAPSHOT, type SavingsSnapshot } from './find-savings.js';
import { DIGEST_PENDING, DIGEST_WATERMARK, digestWatermark } from './post-digest.js';
import { LAST_TENANT_SYNC_KEY, parseLastSync, type LastSync } from './sync-tenant.js';
import { undeliveredApprovals } from './takeover/request.js';
import { shortId, toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const EXPIRING_DAYS = 30;
export const EXPIRING_SHOWN = 10;
export const PENDING_SHOWN = 10;
export const UNDELIVERED_DAYS = 7;
/** The policy guard's last read of the tenant's policies. */
export const LAST_SYNC_KEY = LAST_POLICY_SYNC_KEY;

export interface Dashboard {
  counts: { active: number; deleted: number; trials: number };
  /** Sums of the known prices; `unknownPrices` counts the subscriptions left out. */
  spendByProduct: Array<{ product: { id: string; name: string }; subscriptions: number } & Spend>;
  spendTotal: Money[];
  spendUnknownPrices: number;
  expiring: { total: number; items: SubscriptionSummary[] };
  pending: {
    total: number;
    items: Array<{
      id: string;
      kind: string;
      subscriptionShortId: string;
      productName: string | null;
      requestedBy: string;
      requestedAt: Date;
      /** Slack's reason when the approval message could not be posted (nobody can approve it). */
      undelivered: string | null;
    }>;
  };
  /** Take-overs whose licenses are done, waiting for the subscription to be cancelled in the admin center. */
  awaitingAdminCenter: { total: number; items: Array<{ id: string; kind: string; subscriptionShortId: string; since: Date | null }> };
  lastDigestAt: Date | null;
  /** The policy guard's last read. */
  lastSyncAt: Date | null;
  /** The last sync of the record from the tenant (TENANT=microsoft): when, and what it found or why it failed. */
  lastTenantSync?: LastSync;
  /** Messages of the last UNDELIVERED_DAYS that Slack refused for good (scheduled posts have nobody else to tell). */
  undelivered: { count: number; latestError: string | null };
  /** What the savings finder last found, and when (none before its first run). */
  savings?: SavingsSnapshot;
}

export async function loadDashboard(ctx: ServiceContext): Promise<Dashboard> {
  const { prisma, now } = ctx;
  const until = addDays(now, EXPIRING_DAYS);
  // Every single number and JobState value in one statement (readDashboardNumbers says why).
  const numbers = await readDashboardNumbers(prisma, {
    expiringFrom: now,
    expiringBefore: until,
    undeliveredSince: addDays(now, -UNDELIVERED_DAYS),
    jobStateKeys: [LAST_SYNC_KEY, LAST_TENANT_SYNC_KEY, SAVINGS_SNAPSHOT, DIGEST_PENDING, DIGEST_WATERMARK],
  });

  // The database adds up the active subscriptions per product and currency; spend.ts reads the groups.
  const spendGroups = await sumActiveSelfServiceSpend(prisma);
  const byProduct = new Map<string, { product: { id: string; name: string }; groups: typeof spendGroups }>();
  for (const row of spendGroups) {
    const entry = byProduct.get(row.product.id) ?? { product: row.product, groups: [] };
    entry.groups.push(row);
    byProduct.set(row.product.id, entry);
  }
  const spendByProduct = [...byProduct.values()]
    .map(({ product, groups }) => ({ product, subscriptions: groups.reduce((sum, g) => sum + g.subscriptions, 0), ...spendOfGroups(groups) }))
    .sort((a, b) => a.product.name.localeCompare(b.product.name));

  const expiringRows = numbers.expiring === 0 ? [] : await findActiveSelfServiceExpiring(prisma, now, until, EXPIRING_SHOWN);
  const pending = numbers.pendingTakeovers === 0 ? [] : await findPendingTakeovers(prisma, PENDING_SHOWN);
  const undelivered = await undeliveredApprovals(
    prisma,
    pending.map((r) => r.id),
  );
  const lastSync = numbers.jobState.get(LAST_SYNC_KEY);
  const lastTenantSync = parseLastSync(numbers.jobState.get(LAST_TENANT_SYNC_KEY));
  const awaiting = numbers.awaitingAdminCenter === 0 ? [] : await findAwaitingAdminCenter(prisma, PENDING_SHOWN);
  const spendTotal = spendOfGroups(spendGroups);
  const savings = parseSavingsSnapshot(numbers.jobState.get(SAVINGS_SNAPSHOT));
  // A digest window in flight is settled first (it may move the watermark); without one, the watermark as read.
  const watermark = numbers.jobState.get(DIGEST_WATERMARK);
  const lastDigestAt = numbers.jobState.has(DIGEST_PENDING) ? await digestWatermark(prisma, now) : watermark ? new Date(watermark) : null;
  return {
    counts: numbers.counts,
    spendByProduct,
    spendTotal: spendTotal.monthly,
    spendUnknownPrices: spendTotal.unknownPrices,
    expiring: { total: numbers.expiring, items: expiringRows.map(toSummary) },
    pending: {
      total: numbers.pendingTakeovers,
      items: pending.map((r) => ({
        id: r.id,
        kind: r.kind,
        subscriptionShortId: shortId(r.subscriptionId),
        productName: r.productName,
        requestedBy: r.requestedBy,
        requestedAt: r.requestedAt,
        undelivered: undelivered.get(r.id) ?? null,
      })),
    },
    awaitingAdminCenter: {
      total: numbers.awaitingAdminCenter,
      items: awaiting.map((r) => ({ id: r.id, kind: r.kind, subscriptionShortId: shortId(r.subscriptionId), since: r.executedAt })),
    },
    lastDigestAt,
    lastSyncAt: lastSync ? new Date(lastSync) : null,
    ...(lastTenantSync ? { lastTenantSync } : {}),
    undelivered: numbers.undelivered,
    ...(savings ? { savings } : {}),
  };
}
