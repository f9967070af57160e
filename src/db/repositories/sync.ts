/**
 * What a tenant sync reads from the record and writes back. Reads take whole tables in keyset
 * pages; writes are one statement per changed row or per chunk of rows, so no statement's bind
 * parameters grow with the tenant. The caller runs everything in one transaction.
 */
import type { Db } from '../client.js';
import type { AssignmentWrites } from './assignments.js';
import { chunks, readAllById } from './batches.js';
import { readAllHoldings, type HoldingRow } from './holdings.js';

export interface SyncProductRow {
  id: string;
  kind: string;
  name: string;
}

export interface SyncSkuRow {
  skuId: string;
  productId: string;
  skuPartNumber: string;
}

export interface SyncPersonRow {
  id: string;
  name: string;
  email: string;
  graphId: string | null;
  accountEnabled: boolean;
  goneFromTenantAt: Date | null;
}

export interface SyncSubscriptionRow {
  id: string;
  productId: string;
  graphId: string | null;
  commerceSubscriptionId: string | null;
  skuId: string | null;
  status: string;
  tenantStatus: string | null;
  isSelfService: boolean;
  purchaserId: string | null;
  selfServiceSource: string;
  licensesPurchased: number;
  purchasedAt: Date;
  expiresAt: Date | null;
  isTrial: boolean;
  seenDeletedAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface SyncAssignmentRow {
  id: string;
  subscriptionId: string;
  userId: string;
  removedAt: Date | null;
  source: string;
}

export interface SyncRecord {
  products: SyncProductRow[];
  skus: SyncSkuRow[];
  people: SyncPersonRow[];
  subscriptions: SyncSubscriptionRow[];
  /** License assignments of the subscriptions Graph knows (graphId set), current and removed. */
  assignments: SyncAssignmentRow[];
  holdings: HoldingRow[];
}

/** What a sync compares of a subscription (an import reads these too, with the price). */
export const syncSubscriptionColumns = {
  id: true,
  productId: true,
  graphId: true,
  commerceSubscriptionId: true,
  skuId: true,
  status: true,
  tenantStatus: true,
  isSelfService: true,
  purchaserId: true,
  selfServiceSource: true,
  licensesPurchased: true,
  purchasedAt: true,
  expiresAt: true,
  isTrial: true,
  seenDeletedAt: true,
  cancelledAt: true,
  cancelledBy: true,
  cancelReason: true,
} as const;

const after = (afterId: string | undefined) => (afterId ? { id: { gt: afterId } } : {});

export async function readSyncRecord(db: Db): Promise<SyncRecord> {
  const products = await db.product.findMany({ where: { kind: { in: ['product', 'sku'] } }, select: { id: true, kind: true, name: true } });
  const skus = await db.productSku.findMany({ select: { skuId: true, productId: true, skuPartNumber: true } });
  const people = await readAllById((afterId, take) =>
    db.person.findMany({
      where: after(afterId),
      select: { id: true, name: true, email: true, graphId: true, accountEnabled: true, goneFromTenantAt: true },
      orderBy: { id: 'asc' },
      take,
    }),
  );
  const subscriptions = await readAllById((afterId, take) =>
    db.subscription.findMany({
      where: after(afterId),
      select: syncSubscriptionColumns,
      orderBy: { id: 'asc' },
      take,
    }),
  );
  const assignments = await readAllById((afterId, take) =>
    db.licenseAssignment.findMany({
      where: { ...after(afterId), subscription: { graphId: { not: null } } },
      select: { id: true, subscriptionId: true, userId: true, removedAt: true, source: true },
      orderBy: { id: 'asc' },
      take,
    }),
  );
  return { products, skus, people, subscriptions, assignments, holdings: await readAllHoldings(db) };
}

export interface ProductCreate {
  id: string;
  kind: 'sku';
  name: string;
  firstSeenAt: Date;
}

export interface PersonCreate {
  id: string;
  name: string;
  email: string;
  graphId: string;
  accountEnabled: boolean;
}

export type SubscriptionData = Partial<Omit<SyncSubscriptionRow, 'id'>> & { cancelComment?: string | null };

export interface SubscriptionCreate extends Omit<SyncSubscriptionRow, 'cancelledBy' | 'cancelReason'> {
  firstSeenAt: Date;
  source: 'graph';
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface SyncWrites {
  products: { create: ProductCreate[] };
  skus: { create: Array<SyncSkuRow & { firstSeenAt: Date }>; update: Array<{ skuId: string; data: { skuPartNumber: string } }> };
  people: { create: PersonCreate[]; update: Array<{ id: string; data: Partial<Omit<SyncPersonRow, 'id'>> }>; gone: string[] };
  subscriptions: { create: SubscriptionCreate[]; update: Array<{ id: string; data: SubscriptionData }> };
  assignments: AssignmentWrites;
}

/**
 * The products the sync met first (kind sku), each inserted unless a row with its id is there by
 * then: the policy guard, running at the same moment on another replica, may have recorded the
 * product since the sync read the record, and its row (with the policy) is kept. A plain insert
 * failed the whole sync on the unique key. A sync meets few new products: a statement each.
 */
export async function writeProducts(db: Db, products: SyncWrites['products'], skus: SyncWrites['skus']): Promise<void> {
  for (const { id, kind, name, firstSeenAt } of products.create) {
    await db.$executeRaw`
      INSERT INTO "Product" ("id", "kind", "name", "firstSeenAt", "createdAt", "updatedAt")
      VALUES (${id}, ${kind}, ${name}, ${firstSeenAt}, ${firstSeenAt}, ${firstSeenAt})
      ON CONFLICT ("id") DO NOTHING`;
  }
  for (const data of chunks(skus.create)) await db.productSku.createMany({ data });
  for (const { skuId, data } of skus.update) await db.productSku.update({ where: { skuId }, data });
}

export async function writePeople(db: Db, writes: SyncWrites['people'], now: Date): Promise<void> {
  for (const data of chunks(writes.create)) await db.person.createMany({ data });
  for (const { id, data } of writes.update) await db.person.update({ where: { id }, data });
  for (const ids of chunks(writes.gone)) {
    await db.person.updateMany({ where: { id: { in: ids }, goneFromTenantAt: null }, data: { goneFromTenantAt: now } });
  }
}

export async function writeSubscriptions(db: Db, writes: SyncWrites['subscriptions']): Promise<void> {
  for (const data of chunks(writes.create)) await db.subscription.createMany({ data });
  for (const { id, data } of writes.update) await db.subscription.update({ where: { id }, data });
}
