/**
 * What "active" and "spend" mean, once, for every view that counts or totals subscriptions (the
 * digest, App Home, list and centralize). A subscription is active until it is cancelled
 * (status Deleted); only active subscriptions are spent on: a cancelled one is no longer billed.
 * A subscription's monthly cost is its licenses times its monthly unit price (a trial's is 0);
 * a price the record does not know (Graph has none) is left out of every sum and counted, never
 * taken as zero. Where the database adds up (App Home), its queries filter on ACTIVE_STATUS and
 * spendOfGroups combines what they return; smaller sets are added up here by monthlySpend.
 */
import { formatTotals, multiply, sumByCurrency, sumKnownByCurrency, unknownPricesNote, type Money } from './money.js';

export const ACTIVE_STATUS = 'Active';
export const DELETED_STATUS = 'Deleted';

/** What some subscriptions cost a month: sums of the known prices per currency, and how many prices were unknown. */
export interface Spend {
  monthly: Money[];
  unknownPrices: number;
}

export function isActive(subscription: { status: string }): boolean {
  return subscription.status === ACTIVE_STATUS;
}

/** Licenses times the monthly unit price; null when the price is unknown. */
export function monthlyCost(subscription: { unitPrice: Money | null; licensesPurchased: number }): Money | null {
  return subscription.unitPrice ? multiply(subscription.unitPrice, subscription.licensesPurchased) : null;
}

/** What the active ones among `subscriptions` cost a month, per currency (never summed across). */
export function monthlySpend(subscriptions: Iterable<{ status: string; unitPrice: Money | null; licensesPurchased: number }>): Spend {
  const { totals, unknown } = sumKnownByCurrency([...subscriptions].filter(isActive).map(monthlyCost));
  return { monthly: totals, unknownPrices: unknown };
}

/**
 * The spend of groups the database added up from active subscriptions only, one row per
 * currency (null: prices unknown): `monthlyMinor` sums the known prices, `unknownPrices` counts the others.
 */
export function spendOfGroups(groups: Iterable<{ currency: string | null; subscriptions: number; unknownPrices: number; monthlyMinor: number }>): Spend {
  const known: Money[] = [];
  let unknownPrices = 0;
  for (const group of groups) {
    unknownPrices += group.unknownPrices;
    if (group.currency !== null && group.subscriptions > group.unknownPrices) known.push({ amountMinor: group.monthlyMinor, currency: group.currency });
  }
  return { monthly: sumByCurrency(known), unknownPrices };
}

/**
 * "$42.00 + €9.00", "$0.00" when nothing is spent; `unit` (" per month") goes before the note
 * on unknown prices: "$42.00 per month (1 price unknown, not counted)".
 */
export function describeSpend(spend: Spend, unit = ''): string {
  return `${formatTotals(spend.monthly)}${unit}${unknownPricesNote(spend.unknownPrices)}`;
}
