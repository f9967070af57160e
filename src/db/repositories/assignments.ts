/** License assignments written in bulk by a sync or an import: rows are never deleted, only ended. */
import type { Db } from '../client.js';
import { chunks } from './batches.js';

export interface AssignmentWrites {
  create: Array<{ id: string; subscriptionId: string; userId: string; assignedAt: Date; source: string }>;
  /** Removed rows given back (to the same user on the same subscription), under the writer's source. */
  reopen: string[];
  remove: string[];
}

/** License assignments a sync (source graph) or an import (source import) creates, reopens and ends. */
export async function writeAssignments(db: Db, writes: AssignmentWrites, now: Date, source: 'graph' | 'import'): Promise<void> {
  for (const data of chunks(writes.create)) await db.licenseAssignment.createMany({ data });
  for (const ids of chunks(writes.reopen)) {
    await db.licenseAssignment.updateMany({ where: { id: { in: ids } }, data: { removedAt: null, assignedAt: now, source } });
  }
  for (const ids of chunks(writes.remove)) {
    await db.licenseAssignment.updateMany({ where: { id: { in: ids }, removedAt: null }, data: { removedAt: now } });
  }
}
