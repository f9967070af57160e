/**
 * CENTRAL_PRICES: what a product costs when bought centrally, for the savings finder's
 * "centralize instead" when the record has no priced central subscription of it. Comma-separated
 * `<ProductId or SKU part number>:<CURRENCY>:<monthly price of one license, major units>`, e.g.
 * `CFQ7TTC0H9MP:USD:14.00,VISIOCLIENT:EUR:12.50`. Amounts are parsed exactly into minor units.
 */
import { isCurrency, parseAmount, type Money } from './money.js';
import { quoteInput } from './text.js';

export interface CentralPrice {
  /** A 12-character ProductId or a SKU part number, upper-case. */
  key: string;
  unitPrice: Money;
}

const EXAMPLE = 'CFQ7TTC0H9MP:USD:14.00';

export function parseCentralPrices(text: string): { ok: true; prices: CentralPrice[] } | { ok: false; problems: string[] } {
  const prices: CentralPrice[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const parts = entry.split(':').map((p) => p.trim());
    const form = `each entry is <ProductId or SKU part number>:<currency>:<monthly price of one license>, e.g. ${EXAMPLE}`;
    if (parts.length !== 3) {
      problems.push(`has ${quoteInput(entry)}: ${form}`);
      continue;
    }
    const [rawKey, rawCurrency, rawAmount] = parts as [string, string, string];
    const key = rawKey.toUpperCase();
    const currency = rawCurrency.toUpperCase();
    if (!/^[A-Z0-9_]{2,64}$/.test(key)) {
      problems.push(`has ${quoteInput(rawKey)} where a ProductId (such as CFQ7TTC0H9MP) or a SKU part number (such as POWER_BI_PRO) goes: ${form}`);
      continue;
    }
    if (!isCurrency(currency)) {
      problems.push(`has ${quoteInput(rawCurrency)} in ${quoteInput(entry)}, which is not an ISO 4217 currency code such as USD or EUR`);
      continue;
    }
    const unitPrice = parseAmount(rawAmount, currency);
    if (!unitPrice) {
      problems.push(
        `has ${quoteInput(rawAmount)} in ${quoteInput(entry)}, which is not a price in ${currency}: write it with a dot and at most the currency's decimals, e.g. 14.00`,
      );
      continue;
    }
    if (seen.has(`${key}:${currency}`)) {
      problems.push(`names ${key} in ${currency} twice: keep one price per product and currency`);
      continue;
    }
    seen.add(`${key}:${currency}`);
    prices.push({ key, unitPrice });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, prices };
}
