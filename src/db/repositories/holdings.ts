/**
 * ProductHolding: who holds which product (by SKU), as Microsoft Graph reports it. Rows are never
 * deleted: a license that went away gets removedAt, and one that comes back is reopened.
 */
import type { Db } from '../client.js';
import { chunks, readAllById } from './batches.js';

export interface HoldingRow {
  id: string;
  productId: string;
  skuId: string;
  userId: string;
  direct: boolean;
  /** JSON array of group ids, or null. */
  viaGroups: string | null;
  firstSeenAt: Date;
  removedAt: Date | null;
}

export interface HoldingWrites {
  create: HoldingRow[];
  /** Changed assignment path, or a license back after it was removed. */
  update: Array<{ id: string; data: Partial<Pick<HoldingRow, 'direct' | 'viaGroups' | 'firstSeenAt' | 'removedAt'>> }>;
  /** Ids of holdings that went away. */
  remove: string[];
}

const columns = { id: true, productId: true, skuId: true, userId: true, direct: true, viaGroups: true, firstSeenAt: true, removedAt: true } as const;

export function readAllHoldings(db: Db): Promise<HoldingRow[]> {
  return readAllById((afterId, take) =>
    db.productHolding.findMany({ select: columns, ...(afterId ? { where: { id: { gt: afterId } } } : {}), orderBy: { id: 'asc' }, take }),
  );
}

export async function writeHoldings(db: Db, writes: HoldingWrites, now: Date): Promise<void> {
  for (const data of chunks(writes.create)) await db.productHolding.createMany({ data });
  for (const { id, data } of writes.update) await db.productHolding.update({ where: { id }, data });
  for (const ids of chunks(writes.remove)) {
    await db.productHolding.updateMany({ where: { id: { in: ids }, removedAt: null }, data: { removedAt: now } });
  }
}
