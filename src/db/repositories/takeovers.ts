/**
 * Take-over requests. Every change of status goes through `transitionTakeover`, a conditional
 * update on the status it leaves: of two callers racing, exactly one sees `true`.
 */
import { canMove, OPEN_TAKEOVER_STATUSES, type TakeoverStatus } from '../../domain/takeover.js';
import type { Db } from '../client.js';

export type TakeoverStatusValue = TakeoverStatus;

export interface NewTakeover {
  id: string;
  subscriptionId: string;
  kind: 'move' | 'cancel';
  targetSubscriptionId: string | null;
  reason: string | null;
  comment: string | null;
  requestedBy: string;
  requestedAt: Date;
  usersAffected: number;
  approvalChannel: string;
}

export interface TakeoverChanges {
  status?: TakeoverStatusValue;
  decidedBy?: string;
  decidedAt?: Date;
  rejectReason?: string | null;
  executedAt?: Date;
  usersAffected?: number;
  failureReason?: string;
  purchaserNotice?: string;
  completedAt?: Date;
  completedBy?: string;
}

export function insertTakeover(db: Db, request: NewTakeover) {
  return db.takeoverRequest.create({ data: { ...request, status: 'PENDING' } });
}

export function findTakeover(db: Db, id: string) {
  return db.takeoverRequest.findUnique({ where: { id } });
}

export function findTakeoverState(db: Db, id: string) {
  return db.takeoverRequest.findUnique({ where: { id }, select: { status: true, decidedBy: true, requestedBy: true } });
}

/** The requests of this subscription still waiting for their decision, their execution or the admin center. */
export function findOpenTakeovers(db: Db, subscriptionId: string) {
  return db.takeoverRequest.findMany({ where: { subscriptionId, status: { in: [...OPEN_TAKEOVER_STATUSES] } }, orderBy: { requestedAt: 'asc' } });
}

/** Requests waiting for the admin center whose subscription a sync has seen deleted in the tenant. */
export async function findAwaitingSeenDeleted(db: Db): Promise<string[]> {
  const rows = await db.takeoverRequest.findMany({ where: { status: 'AWAITING_ADMIN_CENTER' }, select: { id: true, subscriptionId: true } });
  if (rows.length === 0) return [];
  const deleted = await db.subscription.findMany({
    where: { id: { in: rows.map((r) => r.subscriptionId) }, seenDeletedAt: { not: null } },
    select: { id: true },
  });
  const ids = new Set(deleted.map((s) => s.id));
  return rows.filter((r) => ids.has(r.subscriptionId)).map((r) => r.id);
}

/** Requests waiting for the admin center, oldest first (`limit` of them), and how many there are. */
/** The first `limit` take-overs awaiting the admin center, oldest first (their count: dashboard.ts). */
export function findAwaitingAdminCenter(db: Db, limit: number) {
  return db.takeoverRequest.findMany({
    where: { status: 'AWAITING_ADMIN_CENTER' },
    orderBy: [{ executedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { id: true, subscriptionId: true, kind: true, executedAt: true },
  });
}

/** Requests whose id starts with `prefix` (a short id as the bot shows it), at most `limit`. */
export function findTakeoversByPrefix(db: Db, prefix: string, limit: number) {
  return db.takeoverRequest.findMany({ where: { id: { startsWith: prefix.toLowerCase() } }, select: { id: true }, take: limit });
}

/**
 * Applies `changes` only if the request is still in `from`; says whether it did. A move the
 * state machine does not allow (domain/takeover.ts) is a bug, thrown before the database is asked.
 */
export async function transitionTakeover(db: Db, id: string, from: TakeoverStatusValue, changes: TakeoverChanges): Promise<boolean> {
  if (changes.status && !canMove(from, changes.status)) throw new Error(`A take-over request cannot go from ${from} to ${changes.status}`);
  const { count } = await db.takeoverRequest.updateMany({ where: { id, status: from }, data: changes });
  return count === 1;
}

/** APPROVED requests not finished since `cutoff` (their executedAt, while APPROVED, is a lease). */
export function findStuckApproved(db: Db, cutoff: Date) {
  return db.takeoverRequest.findMany({
    where: { status: 'APPROVED', decidedAt: { lt: cutoff }, OR: [{ executedAt: null }, { executedAt: { lt: cutoff } }] },
    select: { id: true, decidedBy: true, executedAt: true },
  });
}

/** Takes the lease of a stuck request; false when another run took it first. */
export async function leaseStuckTakeover(db: Db, id: string, previousLease: Date | null, now: Date): Promise<boolean> {
  const { count } = await db.takeoverRequest.updateMany({
    where: { id, status: 'APPROVED', executedAt: previousLease },
    data: { executedAt: now },
  });
  return count === 1;
}

/** The oldest pending requests (`limit` of them) with their product's name (their count: dashboard.ts). */
export async function findPendingTakeovers(db: Db, limit: number) {
  const rows = await db.takeoverRequest.findMany({ where: { status: 'PENDING' }, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], take: limit });
  if (rows.length === 0) return [];
  const subscriptions = await db.subscription.findMany({
    where: { id: { in: rows.map((r) => r.subscriptionId) } },
    select: { id: true, product: { select: { name: true } } },
  });
  const productOf = new Map(subscriptions.map((s) => [s.id, s.product.name]));
  return rows.map((row) => ({ ...row, productName: productOf.get(row.subscriptionId) ?? null }));
}

/**
 * A take-over's subscription is cancelled (its take-over finished in the admin center): status
 * Deleted with who, when and why, or, if a sync already found it deleted, the take-over's why;
 * the licenses it still had in the record end.
 */
export async function recordSubscriptionCancelled(
  db: Db,
  subscriptionId: string,
  cancel: { by: string; reason: string; comment: string | null; at: Date },
): Promise<void> {
  const why = { cancelledBy: cancel.by, cancelReason: cancel.reason, cancelComment: cancel.comment };
  const active = await db.subscription.updateMany({
    where: { id: subscriptionId, status: 'Active' },
    data: { status: 'Deleted', cancelledAt: cancel.at, ...why },
  });
  if (active.count === 0) await db.subscription.update({ where: { id: subscriptionId }, data: why });
  await db.licenseAssignment.updateMany({ where: { subscriptionId, removedAt: null }, data: { removedAt: cancel.at } });
}
