/**
 * The savings finder: what the tenant pays for and could stop paying for.
 * - paying twice: people holding a product's license from a central and a self-service
 *   subscription (or two self-service ones): every self-service license after the first;
 * - free seats: self-service seats nobody holds;
 * - inactive accounts: self-service licenses held by disabled accounts or people gone from the tenant;
 * - centralize instead: a product's self-service seats at their price against the same seats at
 *   the central unit price (the tenant's central subscriptions of the product, else CENTRAL_PRICES),
 *   and where central is dearer, said so.
 * Each finding is of one currency (amounts of different currencies are never added or compared),
 * with its monthly amount, the subscriptions involved and the action that fixes it. The database
 * adds up (db/repositories/savings.ts); this file only ranks and words nothing.
 *
 * On a large tenant finding takes seconds (every active license is looked at), too long for App
 * Home, which is published again after many changes: each run keeps what it found in JobState
 * (SAVINGS_SNAPSHOT), and App Home shows that, with its time.
 */
import { SKU_CATALOG } from '../domain/sku-catalog.js';
import type { CentralPrice } from '../domain/central-prices.js';
import { multiply, type Money } from '../domain/money.js';
import {
  findCentralUnitPrices,
  findDuplicateHoldings,
  findFreeSeats,
  findLicensesOfInactiveAccounts,
  findProductsOfSkuPartNumbers,
  sumSelfServiceSeats,
} from '../db/repositories/savings.js';
import { readJobState, writeJobState } from '../db/repositories/job-state.js';
import type { ServiceContext } from './context.js';
import { shortId } from './subscription-summary.js';

export type FindingAction =
  | { kind: 'centralize'; productId: string }
  | { kind: 'takeover'; subscriptionId: string }
  | { kind: 'export-subscription'; subscriptionId: string };

interface FindingBase {
  product: { id: string; name: string };
  /** What it costs a month; null when the price is unknown. */
  monthly: Money | null;
  /** Subscriptions involved: how many, and the short ids of the first few. */
  subscriptions: number;
  subscriptionShortIds: string[];
  action: FindingAction;
}

export type Finding =
  | (FindingBase & { kind: 'duplicate'; people: number; licenses: number; names: string[] })
  | (FindingBase & { kind: 'free-seats'; purchaserName: string | null; free: number; licensesPurchased: number })
  | (FindingBase & { kind: 'inactive-accounts'; purchaserName: string | null; licenses: number; names: string[] })
  | (FindingBase & {
      kind: 'centralize';
      seats: number;
      selfServiceMonthly: Money;
      centralUnitPrice: Money;
      centralMonthly: Money;
      priceSource: 'central subscription' | 'CENTRAL_PRICES';
    });

export interface Savings {
  /** Per currency (alphabetical), the findings with a known amount, largest first. */
  byCurrency: Array<{ currency: string; findings: Finding[] }>;
  /** Findings whose price the record does not know: counted, not ranked. */
  unknownPrice: Finding[];
  /** Products whose central price is higher than what the self-service purchases cost: no saving, said so. */
  centralDearer: Array<Extract<Finding, { kind: 'centralize' }>>;
}

export interface SavingsDeps {
  /** CENTRAL_PRICES. */
  centralPrices: readonly CentralPrice[];
  /** Microsoft 365 pools a product's seats: free seats are known only for products with one subscription. */
  licensesPerProduct: boolean;
}

function price(amountMinor: number | null, currency: string | null): Money | null {
  return amountMinor === null || currency === null ? null : { amountMinor, currency };
}

/** The central unit price of each product and currency: the record's central subscriptions first, then CENTRAL_PRICES. */
async function centralPrices(
  ctx: ServiceContext,
  configured: readonly CentralPrice[],
): Promise<Map<string, { unitPrice: Money; source: 'central subscription' | 'CENTRAL_PRICES' }>> {
  const prices = new Map<string, { unitPrice: Money; source: 'central subscription' | 'CENTRAL_PRICES' }>();
  const partNumbers = configured.map((p) => p.key).filter((key) => !/^CFQ7[A-Z0-9]{8}$/.test(key));
  const recorded = await findProductsOfSkuPartNumbers(ctx.prisma, partNumbers);
  for (const { key, unitPrice } of configured) {
    const productId = /^CFQ7[A-Z0-9]{8}$/.test(key) ? key : (recorded.get(key) ?? SKU_CATALOG.find((sku) => sku.skuPartNumber === key)?.productId ?? key);
    prices.set(`${productId}:${unitPrice.currency}`, { unitPrice, source: 'CENTRAL_PRICES' });
  }
  for (const row of await findCentralUnitPrices(ctx.prisma)) {
    prices.set(`${row.productId}:${row.currency}`, { unitPrice: { amountMinor: row.unitPriceMinor, currency: row.currency }, source: 'central subscription' });
  }
  return prices;
}

export async function findSavings(ctx: ServiceContext, deps: SavingsDeps): Promise<Savings> {
  const findings: Finding[] = [];
  const centralDearer: Savings['centralDearer'] = [];

  for (const d of await findDuplicateHoldings(ctx.prisma)) {
    for (const amount of d.amounts) {
      const known = amount.currency !== null;
      findings.push({
        kind: 'duplicate',
        product: d.product,
        monthly: known ? { amountMinor: amount.monthlyMinor, currency: amount.currency! } : null,
        subscriptions: d.subscriptionIds.length,
        subscriptionShortIds: d.subscriptionIds.map(shortId),
        action: { kind: 'centralize', productId: d.product.id },
        people: d.people,
        licenses: d.licenses,
        names: d.names,
      });
    }
  }

  for (const f of await findFreeSeats(ctx.prisma, { perSubscriptionOnly: deps.licensesPerProduct })) {
    const free = f.licensesPurchased - f.assigned;
    const unit = price(f.unitPriceMinor, f.currency);
    findings.push({
      kind: 'free-seats',
      product: f.product,
      monthly: unit ? multiply(unit, free) : null,
      subscriptions: 1,
      subscriptionShortIds: [shortId(f.subscriptionId)],
      action: { kind: 'takeover', subscriptionId: f.subscriptionId },
      purchaserName: f.purchaserName,
      free,
      licensesPurchased: f.licensesPurchased,
    });
  }

  for (const i of await findLicensesOfInactiveAccounts(ctx.prisma)) {
    const unit = price(i.unitPriceMinor, i.currency);
    findings.push({
      kind: 'inactive-accounts',
      product: i.product,
      monthly: unit ? multiply(unit, i.licenses) : null,
      subscriptions: 1,
      subscriptionShortIds: [shortId(i.subscriptionId)],
      action: { kind: 'export-subscription', subscriptionId: i.subscriptionId },
      purchaserName: i.purchaserName,
      licenses: i.licenses,
      names: i.names,
    });
  }

  const central = await centralPrices(ctx, deps.centralPrices);
  for (const s of await sumSelfServiceSeats(ctx.prisma)) {
    const known = central.get(`${s.product.id}:${s.currency}`);
    if (!known) continue;
    const selfServiceMonthly = { amountMinor: s.monthlyMinor, currency: s.currency };
    const centralMonthly = multiply(known.unitPrice, s.seats);
    const finding: Extract<Finding, { kind: 'centralize' }> = {
      kind: 'centralize',
      product: s.product,
      monthly: { amountMinor: selfServiceMonthly.amountMinor - centralMonthly.amountMinor, currency: s.currency },
      subscriptions: s.subscriptions,
      subscriptionShortIds: [],
      action: { kind: 'centralize', productId: s.product.id },
      seats: s.seats,
      selfServiceMonthly,
      centralUnitPrice: known.unitPrice,
      centralMonthly,
      priceSource: known.source,
    };
    if (finding.monthly!.amountMinor > 0) findings.push(finding);
    else if (finding.monthly!.amountMinor < 0) centralDearer.push(finding);
  }

  const currencies = new Map<string, Finding[]>();
  const unknownPrice: Finding[] = [];
  for (const finding of findings) {
    if (!finding.monthly) unknownPrice.push(finding);
    else if (finding.monthly.amountMinor > 0) {
      // Pushed, not copied: a large tenant has tens of thousands of findings (copying the list for each took seconds).
      const list = currencies.get(finding.monthly.currency) ?? [];
      list.push(finding);
      currencies.set(finding.monthly.currency, list);
    }
  }
  const byCurrency = [...currencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => ({
      currency,
      findings: list.sort(
        (a, b) =>
          b.monthly!.amountMinor - a.monthly!.amountMinor ||
          a.product.name.localeCompare(b.product.name) ||
          a.kind.localeCompare(b.kind) ||
          (a.subscriptionShortIds[0] ?? '').localeCompare(b.subscriptionShortIds[0] ?? ''),
      ),
    }));
  const savings = { byCurrency, unknownPrice, centralDearer: centralDearer.sort((a, b) => a.product.name.localeCompare(b.product.name)) };
  const { shown, total } = rankedFindings(savings, SNAPSHOT_FINDINGS);
  const kept: Savings = { byCurrency: [], unknownPrice: [], centralDearer: savings.centralDearer };
  for (const { currency, finding } of shown) {
    if (currency === null) kept.unknownPrice.push(finding);
    else if (kept.byCurrency.at(-1)?.currency === currency) kept.byCurrency.at(-1)!.findings.push(finding);
    else kept.byCurrency.push({ currency, findings: [finding] });
  }
  await writeJobState(ctx.prisma, SAVINGS_SNAPSHOT, JSON.stringify({ at: ctx.now.toISOString(), savings: kept, findings: total }), ctx.now);
  return savings;
}

/**
 * The findings in the order they are shown: each currency's (alphabetical), largest first, then
 * those whose price is unknown; the first `limit`, and how many there are in all.
 */
export function rankedFindings(savings: Savings, limit: number): { shown: Array<{ currency: string | null; finding: Finding }>; total: number } {
  const shown: Array<{ currency: string | null; finding: Finding }> = [];
  for (const { currency, findings } of savings.byCurrency) {
    for (const finding of findings) {
      if (shown.length === limit) break;
      shown.push({ currency, finding });
    }
  }
  for (const finding of savings.unknownPrice) {
    if (shown.length === limit) break;
    shown.push({ currency: null, finding });
  }
  const total = savings.byCurrency.reduce((n, c) => n + c.findings.length, 0) + savings.unknownPrice.length;
  return { shown, total };
}

/**
 * Each currency's total of the findings with a known amount (never added across currencies), and
 * how many they are: an upper bound, as findings may overlap (a duplicate is also a seat to centralize).
 */
export function savingsTotals(savings: Savings): { monthly: Money[]; findings: number } {
  return {
    monthly: savings.byCurrency.map((c) => ({ currency: c.currency, amountMinor: c.findings.reduce((sum, f) => sum + f.monthly!.amountMinor, 0) })),
    findings: savings.byCurrency.reduce((n, c) => n + c.findings.length, 0),
  };
}

/**
 * How many findings the snapshot keeps, in the order they are shown: App Home shows a few and how
 * many more there are. A large tenant has tens of thousands of findings (megabytes of JSON that
 * every App Home publish would read and parse); `/purchases savings` finds them all again.
 */
export const SNAPSHOT_FINDINGS = 20;

export const SAVINGS_SNAPSHOT = 'savings.latest';

/** What the finder last found: the first SNAPSHOT_FINDINGS findings as shown, how many it found in all, and when. */
export interface SavingsSnapshot {
  at: Date;
  savings: Savings;
  findings: number;
}

/** What the last run of the finder found, and when; undefined before the first (or if unreadable). */
export async function latestSavings(ctx: Pick<ServiceContext, 'prisma'>): Promise<SavingsSnapshot | undefined> {
  return parseSavingsSnapshot(await readJobState(ctx.prisma, SAVINGS_SNAPSHOT));
}

/** The snapshot as its JobState value (SAVINGS_SNAPSHOT) keeps it; nothing when absent or unreadable. */
export function parseSavingsSnapshot(raw: string | undefined): SavingsSnapshot | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { at?: unknown; savings?: Partial<Savings>; findings?: unknown };
    const { savings } = parsed;
    if (
      typeof parsed.at !== 'string' ||
      !savings ||
      !Array.isArray(savings.byCurrency) ||
      !Array.isArray(savings.unknownPrice) ||
      !Array.isArray(savings.centralDearer)
    )
      return undefined;
    const kept = savings as Savings;
    // A snapshot written before it kept only the first findings holds them all.
    const findings = typeof parsed.findings === 'number' ? parsed.findings : rankedFindings(kept, 0).total;
    return { at: new Date(parsed.at), savings: kept, findings };
  } catch {
    return undefined;
  }
}
