/**
 * Money is an integer number of minor units (cents) and an ISO 4217 currency: never a float.
 * Formatting builds the decimal string exactly and lets Intl place symbols and separators.
 */
import { plural } from './plural.js';

export interface Money {
  amountMinor: number;
  currency: string;
}

export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "1234" cents USD -> "12.34" exactly, whatever the size of the amount. */
export function toDecimalString(money: Money): string {
  if (!Number.isSafeInteger(money.amountMinor)) {
    throw new RangeError(`amountMinor must be a safe integer, got ${money.amountMinor}`);
  }
  const digits = minorDigits(money.currency);
  const negative = money.amountMinor < 0;
  const units = Math.abs(money.amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits);
  const fraction = units.slice(units.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

export function formatMoney(money: Money, locale = 'en-US'): string {
  const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  // Intl accepts decimal strings (exact), typed as number-only in older lib typings.
  return formatter.format(toDecimalString(money) as unknown as number);
}

export function multiply(money: Money, factor: number): Money {
  if (!Number.isInteger(factor)) throw new RangeError(`factor must be an integer, got ${factor}`);
  return { amountMinor: money.amountMinor * factor, currency: money.currency };
}

/** Totals per currency, currencies in alphabetical order (amounts in different currencies never mix). */
export function sumByCurrency(amounts: Iterable<Money>): Money[] {
  const totals = new Map<string, number>();
  for (const { amountMinor, currency } of amounts) {
    totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

/** Totals per currency of the amounts that are known, and how many were unknown (never counted as zero). */
export function sumKnownByCurrency(amounts: Iterable<Money | null>): { totals: Money[]; unknown: number } {
  const known: Money[] = [];
  let unknown = 0;
  for (const amount of amounts) {
    if (amount) known.push(amount);
    else unknown += 1;
  }
  return { totals: sumByCurrency(known), unknown };
}

/** "3 prices unknown", appended to a total that leaves them out; empty when every price was known. */
export function unknownPricesNote(unknown: number): string {
  return unknown === 0 ? '' : ` (${plural(unknown, 'price')} unknown, not counted)`;
}

export function formatTotals(amounts: Money[]): string {
  return amounts.length === 0 ? formatMoney({ amountMinor: 0, currency: 'USD' }) : amounts.map((m) => formatMoney(m)).join(' + ');
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code this runtime can format, e.g. USD, EUR, JPY (upper-case). */
export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/**
 * A decimal amount as people type it ("14", "14.50", "$1,234.50", "€ 9.99") in minor units of
 * `currency`, exactly; undefined when it is not one (negative, a decimal comma, or more decimals
 * than the currency has: JPY takes none).
 */
export function parseAmount(text: string, currency: string): Money | undefined {
  const bare = text.replace(/[^\d.,-]/g, '');
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(bare) ? bare.replace(/,/g, '') : bare;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!match) return undefined;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const amountMinor = Number(match[1]! + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(amountMinor) ? { amountMinor, currency } : undefined;
}
