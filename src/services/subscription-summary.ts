import type { SubscriptionRow } from '../db/repositories/subscriptions.js';
import type { Money } from '../domain/money.js';
import { ACTIVE_STATUS, DELETED_STATUS, monthlyCost } from '../domain/spend.js';

/** What views need to show one subscription: plain data, no Prisma types. */
export interface SubscriptionSummary {
  id: string;
  shortId: string;
  product: { id: string; name: string };
  isSelfService: boolean;
  purchaser: { id: string; name: string; email: string; slackUserId: string | null } | null;
  licensesPurchased: number;
  assigned: number;
  purchasedAt: Date;
  /** null: no renewal date known. */
  expiresAt: Date | null;
  /** null: price unknown (a subscription read from Microsoft Graph, which has no prices). */
  unitPrice: Money | null;
  monthlyPrice: Money | null;
  isTrial: boolean;
  status: 'Active' | 'Deleted';
  /** Who decided whether it is self-service: graph-owner | import | admin | seed | local. */
  selfServiceSource: string;
  /** When a tenant sync found it deleted in the tenant (or gone from it). */
  seenDeletedAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  cancelComment: string | null;
  firstSeenAt: Date;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function toSummary(row: SubscriptionRow): SubscriptionSummary {
  const unitPrice = row.unitPriceMinor !== null && row.currency !== null ? { amountMinor: row.unitPriceMinor, currency: row.currency } : null;
  return {
    id: row.id,
    shortId: shortId(row.id),
    product: row.product,
    isSelfService: row.isSelfService,
    purchaser: row.purchaser,
    licensesPurchased: row.licensesPurchased,
    assigned: row.assigned,
    purchasedAt: row.purchasedAt,
    expiresAt: row.expiresAt,
    unitPrice,
    monthlyPrice: monthlyCost({ unitPrice, licensesPurchased: row.licensesPurchased }),
    isTrial: row.isTrial,
    status: row.status === DELETED_STATUS ? DELETED_STATUS : ACTIVE_STATUS,
    selfServiceSource: row.selfServiceSource,
    seenDeletedAt: row.seenDeletedAt,
    cancelledAt: row.cancelledAt,
    cancelledBy: row.cancelledBy,
    cancelReason: row.cancelReason,
    cancelComment: row.cancelComment,
    firstSeenAt: row.firstSeenAt,
  };
}
