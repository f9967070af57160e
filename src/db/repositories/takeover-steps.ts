/**
 * The license work of a take-over on Microsoft 365, one row per user (TakeoverStep): written as
 * each user's change is made, with the record's own view of that user's licenses, so a take-over
 * stopped half-way resumes where it stopped and never changes anyone twice.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../client.js';

export type TakeoverStepStatus = 'done' | 'gone' | 'group' | 'refused' | 'waiting';
/** Steps that are over: a resumed take-over leaves their users alone. */
export const FINAL_STEPS: readonly TakeoverStepStatus[] = ['done', 'gone', 'group', 'refused'];

export interface TakeoverStepRow {
  userId: string;
  status: TakeoverStepStatus;
  detail: string | null;
  at: Date;
  user: { name: string; email: string };
}

/** A holder of a subscription's license, with how Microsoft 365 says they hold its SKU. */
export interface LicenseHolder {
  personId: string;
  name: string;
  email: string;
  /** Entra object id; null for someone no sync has seen in the tenant. */
  graphId: string | null;
  /** The SKU as the last sync saw it for this user; undefined when they do not hold it (any more). */
  holding?: { id: string; direct: boolean; viaGroups: string[] };
}

function groupsOf(value: string | null): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}

/** Everyone holding a license of the subscription in the record, by name, with their holding of `skuId`. */
export async function findLicenseHolders(db: Db, subscriptionId: string, skuId: string): Promise<LicenseHolder[]> {
  const assignments = await db.licenseAssignment.findMany({
    where: { subscriptionId, removedAt: null },
    include: { user: { select: { id: true, name: true, email: true, graphId: true } } },
    orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
  });
  const holdings = await db.productHolding.findMany({
    where: { skuId, removedAt: null, userId: { in: assignments.map((a) => a.userId) } },
    select: { id: true, userId: true, direct: true, viaGroups: true },
  });
  const byUser = new Map(holdings.map((h) => [h.userId, h]));
  return assignments.map((a) => {
    const holding = byUser.get(a.userId);
    return {
      personId: a.user.id,
      name: a.user.name,
      email: a.user.email,
      graphId: a.user.graphId,
      ...(holding ? { holding: { id: holding.id, direct: holding.direct, viaGroups: groupsOf(holding.viaGroups) } } : {}),
    };
  });
}

export async function findTakeoverSteps(db: Db, takeoverId: string): Promise<TakeoverStepRow[]> {
  const rows = await db.takeoverStep.findMany({ where: { takeoverId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const people = await db.person.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, name: true, email: true } });
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map((row) => ({
    userId: row.userId,
    status: row.status as TakeoverStepStatus,
    detail: row.detail,
    at: row.at,
    user: byId.get(row.userId) ?? { name: row.userId, email: '' },
  }));
}

/** Records what happened to one user (a retry of a `waiting` user replaces its row). */
export async function recordTakeoverStep(
  db: Db,
  step: { takeoverId: string; userId: string; status: TakeoverStepStatus; detail?: string | null; at: Date },
): Promise<void> {
  const data = { status: step.status, detail: step.detail ?? null, at: step.at };
  await db.takeoverStep.upsert({
    where: { takeoverId_userId: { takeoverId: step.takeoverId, userId: step.userId } },
    create: { id: randomUUID(), takeoverId: step.takeoverId, userId: step.userId, ...data },
    update: data,
  });
}

/** The subscription's license of one user ends (removedAt), as its take-over took it away. */
export async function endAssignment(db: Db, subscriptionId: string, userId: string, at: Date): Promise<void> {
  await db.licenseAssignment.updateMany({ where: { subscriptionId, userId, removedAt: null }, data: { removedAt: at } });
}

/** Gives `userId` a license of `subscriptionId` in the record (reopening an old row). */
export async function grantAssignment(db: Db, subscriptionId: string, userId: string, at: Date): Promise<void> {
  const existing = await db.licenseAssignment.findUnique({ where: { subscriptionId_userId: { subscriptionId, userId } } });
  if (!existing) {
    await db.licenseAssignment.create({ data: { id: randomUUID(), subscriptionId, userId, assignedAt: at, source: 'local' } });
  } else if (existing.removedAt) {
    await db.licenseAssignment.update({ where: { id: existing.id }, data: { removedAt: null, assignedAt: at, source: 'local' } });
  }
}

/**
 * A user's direct license of a SKU was removed: the holding ends, or, when groups still assign
 * it, stays as group-assigned only (so the next sync finds nothing new).
 */
export async function endDirectHolding(db: Db, holding: { id: string; viaGroups: string[] }, at: Date): Promise<void> {
  await db.productHolding.update({ where: { id: holding.id }, data: holding.viaGroups.length > 0 ? { direct: false } : { removedAt: at } });
}
