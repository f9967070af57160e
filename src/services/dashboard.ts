/** What App Home shows admins: plain data, computed from the record at `now`. */
import { addDays } from 'date-fns';
import { readJobState } from '../db/repositories/job-state.js';
import {
  countActiveSelfServiceExpiring,
  countSelfService,
  findActiveSelfServiceExpiring,
  sumActiveSelfServiceSpend,
} from '../db/repositories/subscriptions.js';
import { findUndeliveredSince } from '../db/repositories/outbox.js';
import { findAwaitingAdminCenter, findPendingTakeovers } from '../db/repositories/takeovers.js';
import type { Money } from '../domain/money.js';
import { spendOfGroups, type Spend } from '../domain/spend.js';
import type { ServiceContext } from './context.js';
import { LAST_POLICY_SYNC_KEY } from './list-policies.js';
import { latestSavings, type SavingsSnapshot } from './find-savings.js';
import { digestWatermark } from './post-digest.js';
import { readLastSync, type LastSync } from './sync-tenant.js';
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
  const counts = await countSelfService(prisma);

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

  const until = addDays(now, EXPIRING_DAYS);
  const [expiringTotal, expiringRows] = await Promise.all([
    countActiveSelfServiceExpiring(prisma, now, until),
    findActiveSelfServiceExpiring(prisma, now, until, EXPIRING_SHOWN),
  ]);
  const pending = await findPendingTakeovers(prisma, PENDING_SHOWN);
  const undelivered = await undeliveredApprovals(
    prisma,
    pending.items.map((r) => r.id),
  );
  const lastSync = await readJobState(prisma, LAST_SYNC_KEY);
  const lastTenantSync = await readLastSync(ctx);
  const awaiting = await findAwaitingAdminCenter(prisma, PENDING_SHOWN);
  const spendTotal = spendOfGroups(spendGroups);
  const savings = await latestSavings(ctx);
  return {
    counts,
    spendByProduct,
    spendTotal: spendTotal.monthly,
    spendUnknownPrices: spendTotal.unknownPrices,
    expiring: { total: expiringTotal, items: expiringRows.map(toSummary) },
    pending: {
      total: pending.total,
      items: pending.items.map((r) => ({
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
      total: awaiting.total,
      items: awaiting.items.map((r) => ({ id: r.id, kind: r.kind, subscriptionShortId: shortId(r.subscriptionId), since: r.executedAt })),
    },
    lastDigestAt: await digestWatermark(prisma, now),
    lastSyncAt: lastSync ? new Date(lastSync) : null,
    ...(lastTenantSync ? { lastTenantSync } : {}),
    undelivered: await findUndeliveredSince(prisma, addDays(now, -UNDELIVERED_DAYS)),
    ...(savings ? { savings } : {}),
  };
}
