import { describeDaysUntil, daysUntil, formatDay } from '../../domain/dates.js';
import { formatMoney } from '../../domain/money.js';
import { plural } from '../../domain/plural.js';
import { isActive } from '../../domain/spend.js';
import type { SubscriptionSummary } from '../../services/subscription-summary.js';
import { escapeMrkdwn } from './text.js';

export function purchaserLabel(s: SubscriptionSummary): string {
  return s.purchaser ? `${escapeMrkdwn(s.purchaser.name)} (${escapeMrkdwn(s.purchaser.email)})` : 'Central subscription';
}

/** "renews 2026-11-30", or "no renewal date" when none is known. */
export function renewsLabel(s: Pick<SubscriptionSummary, 'expiresAt'>, timeZone: string): string {
  return s.expiresAt ? `renews ${formatDay(s.expiresAt, timeZone)}` : 'no renewal date';
}

export function expiryLabel(s: SubscriptionSummary, now: Date, timeZone: string): string {
  if (!s.expiresAt) return 'no renewal date';
  const days = daysUntil(s.expiresAt, now, timeZone);
  const when = `${formatDay(s.expiresAt, timeZone)} (${describeDaysUntil(days)})`;
  if (s.status === 'Deleted') return `was due ${formatDay(s.expiresAt, timeZone)}`;
  return days >= 0 && days <= 7 ? `:hourglass_flowing_sand: expires ${when}` : `expires ${when}`;
}

export function statusLabel(s: SubscriptionSummary): string {
  const parts = [s.status === 'Deleted' ? ':no_entry: Deleted' : 'Active'];
  if (s.isTrial) parts.push('Trial');
  return parts.join(' · ');
}

/** What it costs a month; a cancelled subscription is no longer billed (domain/spend.ts). */
export function priceLabel(s: SubscriptionSummary): string {
  if (!s.unitPrice || !s.monthlyPrice) return 'price unknown';
  if (s.unitPrice.amountMinor === 0) return 'free';
  const price = `${formatMoney(s.monthlyPrice)}/mo (${formatMoney(s.unitPrice)} × ${s.licensesPurchased})`;
  return isActive(s) ? price : `no longer billed (was ${price})`;
}

/** Its licenses and how many are assigned; a cancelled one's licenses were released with it. */
export function licensesLabel(s: SubscriptionSummary): string {
  return isActive(s)
    ? `${plural(s.licensesPurchased, 'license')}, ${s.assigned} assigned`
    : `${plural(s.licensesPurchased, 'license')}, released when it was cancelled`;
}

/** One subscription on two lines, as in list rows and digests. */
export function subscriptionLine(s: SubscriptionSummary, now: Date, timeZone: string): string {
  return [
    `*${escapeMrkdwn(s.product.name)}* — ${purchaserLabel(s)}`,
    `\`${s.shortId}\` · ${licensesLabel(s)} · ${expiryLabel(s, now, timeZone)} · ${priceLabel(s)} · ${statusLabel(s)}`,
  ].join('\n');
}
