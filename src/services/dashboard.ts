/** What App Home shows admins: plain data, computed from the record at `now`. */
import { addDays } from 'date-fns';
import { readJobState } from '../db/repositories/job-state.js';
import {
  countActiveSelfServiceExpiring,
  countSelfService,
  findActiveSelfServiceExpiring,
  findActiveSelfServicePrices,
} from '../db/repositories/subscriptions.js';
import { findUndeliveredSince } from '../db/repositories/outbox.js';
import { findPendingTakeovers } from '../db/repositories/takeovers.js';
import { multiply, sumByCurrency, type Money } from '../domain/money.js';
import type { ServiceContext } from './context.js';
import { LAST_POLICY_SYNC_KEY } from './list-policies.js';
import { digestWatermark } from './post-digest.js';
import { undeliveredApprovals } from './takeover/request.js';
import { shortId, toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const EXPIRING_DAYS = 30;
export const EXPIRING_SHOWN = 10;
export const PENDING_SHOWN = 10;
export const UNDELIVERED_DAYS = 7;
/** The last read of the tenant: the policy guard's sync (the only sync there is today). */
export const LAST_SYNC_KEY = LAST_POLICY_SYNC_KEY;

export interface Dashboard {
  counts: { active: number; deleted: number; trials: number };
  spendByProduct: Array<{ product: { id: string; name: string }; subscriptions: number; monthly: Money[] }>;
  spendTotal: Money[];
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
  lastDigestAt: Date | null;
  lastSyncAt: Date | null;
  /** Messages of the last UNDELIVERED_DAYS that Slack refused for good (scheduled posts have nobody else to tell). */
  undelivered: { count: number; latestError: string | null };
}

export async function loadDashboard(ctx: ServiceContext): Promise<Dashboard> {
  const { prisma, now } = ctx;
  const counts = await countSelfService(prisma);

  const byProduct = new Map<string, { product: { id: string; name: string }; subscriptions: number; amounts: Money[] }>();
  for (const row of await findActiveSelfServicePrices(prisma)) {
    const entry = byProduct.get(row.product.id) ?? { product: row.product, subscriptions: 0, amounts: [] };
    entry.subscriptions += 1;
    entry.amounts.push(multiply({ amountMinor: row.unitPriceMinor, currency: row.currency }, row.licensesPurchased));
    byProduct.set(row.product.id, entry);
  }
  const spendByProduct = [...byProduct.values()]
    .map(({ product, subscriptions, amounts }) => ({ product, subscriptions, monthly: sumByCurrency(amounts) }))
    .sort((a, b) => a.product.name.localeCompare(b.product.name));

  const until = addDays(now, EXPIRING_DAYS);
  const [expiringTotal, expiringRows] = await Promise.all([
    countActiveSelfServiceExpiring(prisma, now, until),
    findActiveSelfServiceExpiring(prisma, now, until, EXPIRING_SHOWN),
  ]);
  const pending = await findPendingTakeovers(prisma, PENDING_SHOWN);
  const undelivered = await undeliveredApprovals(prisma, pending.items.map((r) => r.id));
  const lastSync = await readJobState(prisma, LAST_SYNC_KEY);
  return {
    counts,
    spendByProduct,
    spendTotal: sumByCurrency(spendByProduct.flatMap((p) => p.monthly)),
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
    lastDigestAt: await digestWatermark(prisma, now),
    lastSyncAt: lastSync ? new Date(lastSync) : null,
    undelivered: await findUndeliveredSince(prisma, addDays(now, -UNDELIVERED_DAYS)),
  };
}
