/**
 * What "active" and "spend" mean, once, for every view that counts or totals subscriptions (the
 * digest, App Home, list and centralize). A subscription is active until it is cancelled
 * (status Deleted); only active subscriptions are spent on: a cancelled one is no longer billed.
 * A subscription's monthly cost is its licenses times its monthly unit price (a trial's is 0).
 */
import { multiply, sumByCurrency, type Money } from './money.js';

export const ACTIVE_STATUS = 'Active';
export const DELETED_STATUS = 'Deleted';

export function isActive(subscription: { status: string }): boolean {
  return subscription.status === ACTIVE_STATUS;
}

export function monthlyCost(subscription: { unitPrice: Money; licensesPurchased: number }): Money {
  return multiply(subscription.unitPrice, subscription.licensesPurchased);
}

/** What the active ones among `subscriptions` cost a month, per currency (never summed across). */
export function monthlySpend(subscriptions: Iterable<{ status: string; unitPrice: Money; licensesPurchased: number }>): Money[] {
  return sumByCurrency([...subscriptions].filter(isActive).map(monthlyCost));
}
