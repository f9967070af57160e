import type { SubscriptionRow } from '../db/repositories/subscriptions.js';
import { multiply, type Money } from '../domain/money.js';

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
  expiresAt: Date;
  unitPrice: Money;
  monthlyPrice: Money;
  isTrial: boolean;
  status: 'Active' | 'Deleted';
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
  const unitPrice = { amountMinor: row.unitPriceMinor, currency: row.currency };
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
    monthlyPrice: multiply(unitPrice, row.licensesPurchased),
    isTrial: row.isTrial,
    status: row.status === 'Deleted' ? 'Deleted' : 'Active',
    cancelledAt: row.cancelledAt,
    cancelledBy: row.cancelledBy,
    cancelReason: row.cancelReason,
    cancelComment: row.cancelComment,
    firstSeenAt: row.firstSeenAt,
  };
}
