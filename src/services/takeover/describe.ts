/** A take-over request as plain data, with both subscriptions as they are now. */
import type { Db } from '../../db/client.js';
import { findSubscriptionsByIds } from '../../db/repositories/subscriptions.js';
import { findTakeover } from '../../db/repositories/takeovers.js';
import { AppError } from '../../domain/errors.js';
import type { PurchaserNotice, TakeoverKind, TakeoverStatus } from '../../domain/takeover.js';
import { toSummary, type SubscriptionSummary } from '../subscription-summary.js';

export interface TakeoverDescription {
  id: string;
  kind: TakeoverKind;
  status: TakeoverStatus;
  subscription: SubscriptionSummary;
  target: SubscriptionSummary | null;
  reason: string | null;
  comment: string | null;
  /** Users holding a license of the subscription when asked (or when executed, once it ran). */
  usersAffected: number;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  executedAt: Date | null;
  failureReason: string | null;
  purchaserNotice: PurchaserNotice | null;
}

export function requestNotFound(id: string): AppError {
  return new AppError('not_found', `no takeover request ${id}`, 'That take-over request does not exist (any more).');
}

export async function describeTakeover(prisma: Db, id: string): Promise<TakeoverDescription> {
  const request = await findTakeover(prisma, id);
  if (!request) throw requestNotFound(id);
  const ids = [request.subscriptionId, ...(request.targetSubscriptionId ? [request.targetSubscriptionId] : [])];
  const rows = await findSubscriptionsByIds(prisma, ids);
  const byId = new Map(rows.map((row) => [row.id, toSummary(row)]));
  const subscription = byId.get(request.subscriptionId);
  if (!subscription) throw requestNotFound(id);
  return {
    id: request.id,
    kind: request.kind === 'move' ? 'move' : 'cancel',
    status: request.status as TakeoverStatus,
    subscription,
    target: request.targetSubscriptionId ? (byId.get(request.targetSubscriptionId) ?? null) : null,
    reason: request.reason,
    comment: request.comment,
    usersAffected: request.usersAffected ?? subscription.assigned,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt,
    rejectReason: request.rejectReason,
    executedAt: request.executedAt,
    failureReason: request.failureReason,
    purchaserNotice: (request.purchaserNotice as PurchaserNotice | null) ?? null,
  };
}
