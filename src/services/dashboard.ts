/** What App Home shows admins: plain data, computed from the record at `now`. */
import { addDays } from 'date-fns';
import { readJobState } from '../db/repositories/job-state.js';
import {
  countActiveSelfServiceExpiring,
  countSelfService,
  findActiveSelfServiceExpiring,
  findActiveSelfServicePrices,
} from '../db/repositories/subscriptions.js';
import { findAwaitingAdminCenter, findPendingTakeovers } from '../db/repositories/takeovers.js';
import { multiply, sumByCurrency, sumKnownByCurrency, type Money } from '../domain/money.js';
import type { ServiceContext } from './context.js';
import { LAST_POLICY_SYNC_KEY } from './list-policies.js';
import { digestWatermark } from './post-digest.js';
import { readLastSync, type LastSync } from './sync-tenant.js';
import { shortId, toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const EXPIRING_DAYS = 30;
export const EXPIRING_SHOWN = 10;
export const PENDING_SHOWN = 10;
/** The policy guard's last read of the tenant's policies. */
export const LAST_SYNC_KEY = LAST_POLICY_SYNC_KEY;

export interface Dashboard {
  counts: { active: number; deleted: number; trials: number };
  /** Sums of the known prices; `unknownPrices` counts the subscriptions left out. */
  spendByProduct: Array<{ product: { id: string; name: string }; subscriptions: number; monthly: Money[]; unknownPrices: number }>;
  spendTotal: Money[];
  spendUnknownPrices: number;
  expiring: { total: number; items: SubscriptionSummary[] };
  pending: {
    total: number;
    items: Array<{ id: string; kind: string; subscriptionShortId: string; productName: string | null; requestedBy: string; requestedAt: Date }>;
  };
  /** Take-overs whose licenses are done, waiting for the subscription to be cancelled in the admin center. */
  awaitingAdminCenter: { total: number; items: Array<{ id: string; kind: string; subscriptionShortId: string; since: Date | null }> };
  lastDigestAt: Date | null;
  /** The policy guard's last read. */
  lastSyncAt: Date | null;
  /** The last sync of the record from the tenant (TENANT=microsoft): when, and what it found or why it failed. */
  lastTenantSync?: LastSync;
}

export async function loadDashboard(ctx: ServiceContext): Promise<Dashboard> {
  const { prisma, now } = ctx;
  const counts = await countSelfService(prisma);

  const byProduct = new Map<string, { product: { id: string; name: string }; subscriptions: number; amounts: Array<Money | null> }>();
  for (const row of await findActiveSelfServicePrices(prisma)) {
    const entry = byProduct.get(row.product.id) ?? { product: row.product, subscriptions: 0, amounts: [] };
    entry.subscriptions += 1;
    const known = row.unitPriceMinor !== null && row.currency !== null;
    entry.amounts.push(known ? multiply({ amountMinor: row.unitPriceMinor!, currency: row.currency! }, row.licensesPurchased) : null);
    byProduct.set(row.product.id, entry);
  }
  const spendByProduct = [...byProduct.values()]
    .map(({ product, subscriptions, amounts }) => {
      const { totals, unknown } = sumKnownByCurrency(amounts);
      return { product, subscriptions, monthly: totals, unknownPrices: unknown };
    })
    .sort((a, b) => a.product.name.localeCompare(b.product.name));

  const until = addDays(now, EXPIRING_DAYS);
  const [expiringTotal, expiringRows] = await Promise.all([
    countActiveSelfServiceExpiring(prisma, now, until),
    findActiveSelfServiceExpiring(prisma, now, until, EXPIRING_SHOWN),
  ]);
  const pending = await findPendingTakeovers(prisma, PENDING_SHOWN);
  const lastSync = await readJobState(prisma, LAST_SYNC_KEY);
  const lastTenantSync = await readLastSync(ctx);
  const awaiting = await findAwaitingAdminCenter(prisma, PENDING_SHOWN);
  return {
    counts,
    spendByProduct,
    spendTotal: sumByCurrency(spendByProduct.flatMap((p) => p.monthly)),
    spendUnknownPrices: spendByProduct.reduce((sum, p) => sum + p.unknownPrices, 0),
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
      })),
    },
    awaitingAdminCenter: {
      total: awaiting.total,
      items: awaiting.items.map((r) => ({ id: r.id, kind: r.kind, subscriptionShortId: shortId(r.subscriptionId), since: r.executedAt })),
    },
    lastDigestAt: await digestWatermark(prisma, now),
    lastSyncAt: lastSync ? new Date(lastSync) : null,
    ...(lastTenantSync ? { lastTenantSync } : {}),
  };
}
