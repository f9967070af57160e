/**
 * What a CSV import reads and writes. Look-ups by the file's ids and emails go a bounded chunk
 * at a time; the caller runs everything in one transaction.
 */
import type { Db } from '../client.js';
import { chunks } from './batches.js';
import { takeWritersTurn } from './sql.js';
import { syncSubscriptionColumns, type SyncSubscriptionRow } from './sync.js';

export interface ImportProduct {
  id: string;
  name: string;
  /** Graph's part numbers of its SKUs, e.g. POWER_BI_PRO. */
  partNumbers: string[];
}

/** Products subscriptions can be of (kind product or sku), with their SKUs' part numbers. */
export async function findImportProducts(db: Db): Promise<ImportProduct[]> {
  const rows = await db.product.findMany({
    where: { kind: { in: ['product', 'sku'] } },
    select: { id: true, name: true, skus: { select: { skuPartNumber: true } } },
    orderBy: { name: 'asc' },
  });
  return rows.map(({ skus, ...product }) => ({ ...product, partNumbers: skus.map((s) => s.skuPartNumber) }));
}

const importSubscriptionColumns = { ...syncSubscriptionColumns, unitPriceMinor: true, currency: true } as const;

export interface ImportSubscription extends SyncSubscriptionRow {
  unitPriceMinor: number | null;
  currency: string | null;
}

/** Subscriptions whose record id, Graph id or commerce id is one of `ids` (lower-case). */
export async function findSubscriptionsByAnyId(db: Db, ids: string[]): Promise<ImportSubscription[]> {
  const rows: ImportSubscription[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    rows.push(
      ...(await db.subscription.findMany({
        where: { OR: [{ id: { in: chunk } }, { graphId: { in: chunk } }, { commerceSubscriptionId: { in: chunk } }] },
        select: importSubscriptionColumns,
      })),
    );
  }
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

/** Subscriptions of these products that are not Deleted: who an import may give a product's license to. */
export async function findLiveSubscriptionsOfProducts(db: Db, productIds: string[]): Promise<Array<{ id: string; productId: string }>> {
  const rows: Array<{ id: string; productId: string }> = [];
  for (const chunk of chunks([...new Set(productIds)])) {
    rows.push(...(await db.subscription.findMany({ where: { productId: { in: chunk }, status: { not: 'Deleted' } }, select: { id: true, productId: true } })));
  }
  return rows;
}

export async function findPeopleByEmails(db: Db, emails: string[]): Promise<Array<{ id: string; email: string; name: string }>> {
  const rows: Array<{ id: string; email: string; name: string }> = [];
  for (const chunk of chunks([...new Set(emails)])) {
    rows.push(...(await db.person.findMany({ where: { email: { in: chunk } }, select: { id: true, email: true, name: true } })));
  }
  return rows;
}

export async function createPeople(db: Db, people: Array<{ id: string; email: string; name: string }>): Promise<void> {
  for (const data of chunks(people)) await db.person.createMany({ data });
}

export async function findAssignmentsOfSubscriptions(
  db: Db,
  subscriptionIds: string[],
): Promise<Array<{ id: string; subscriptionId: string; userId: string; removedAt: Date | null; source: string }>> {
  const rows: Array<{ id: string; subscriptionId: string; userId: string; removedAt: Date | null; source: string }> = [];
  for (const chunk of chunks([...new Set(subscriptionIds)])) {
    rows.push(
      ...(await db.licenseAssignment.findMany({
        where: { subscriptionId: { in: chunk } },
        select: { id: true, subscriptionId: true, userId: true, removedAt: true, source: true },
      })),
    );
  }
  return rows;
}

type GraphOnly = 'graphId' | 'commerceSubscriptionId' | 'skuId' | 'tenantStatus' | 'seenDeletedAt';

export type SubscriptionImportData = Partial<Omit<ImportSubscription, 'id' | GraphOnly>>;

export async function createImportedSubscription(db: Db, data: Omit<ImportSubscription, GraphOnly> & { firstSeenAt: Date; source: 'csv' }): Promise<void> {
  await db.subscription.create({ data });
}

export async function updateImportedSubscription(db: Db, id: string, data: SubscriptionImportData): Promise<void> {
  await db.subscription.update({ where: { id }, data });
}

export interface ImportRunRow {
  id: string;
  at: Date;
  by: string;
  fileName: string;
  sha256: string;
  kind: string;
  accepted: number;
  refused: number;
  changed: number;
}

export async function recordImportRun(db: Db, run: ImportRunRow): Promise<void> {
  await db.importRun.create({ data: run });
}

/**
 * Makes the imports, and the tenant syncs, which write the same people and subscriptions, take
 * turns, each for the whole of its transaction (takeWritersTurn on ImportRun): a file clicked
 * twice at once, or on two replicas, is imported by the first, and the second, waiting here, then
 * finds the people and subscriptions the first wrote (it failed on their unique emails before); a
 * sync reads the record after an import that was writing it.
 */
export function takeImportTurn(db: Db): Promise<void> {
  return takeWritersTurn(db, 'ImportRun');
}

/** The latest import of a file with these contents, if any. */
export function findLatestImportOf(db: Db, sha256: string): Promise<ImportRunRow | null> {
  return db.importRun.findFirst({ where: { sha256 }, orderBy: { at: 'desc' } });
}
