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

/** The requests of this subscription still waiting for their decision or their execution. */
export function findOpenTakeovers(db: Db, subscriptionId: string) {
  return db.takeoverRequest.findMany({ where: { subscriptionId, status: { in: [...OPEN_TAKEOVER_STATUSES] } }, orderBy: { requestedAt: 'asc' } });
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

/** The oldest pending requests (`limit` of them) with their product's name, and how many there are. */
export async function findPendingTakeovers(db: Db, limit: number) {
  const [total, rows] = await Promise.all([
    db.takeoverRequest.count({ where: { status: 'PENDING' } }),
    db.takeoverRequest.findMany({ where: { status: 'PENDING' }, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], take: limit }),
  ]);
  const subscriptions = await db.subscription.findMany({
    where: { id: { in: rows.map((r) => r.subscriptionId) } },
    select: { id: true, product: { select: { name: true } } },
  });
  const productOf = new Map(subscriptions.map((s) => [s.id, s.product.name]));
  return { total, items: rows.map((row) => ({ ...row, productName: productOf.get(row.subscriptionId) ?? null })) };
}
