/** A take-over request as plain data, with both subscriptions as they are now. */
import type { Db } from '../../db/client.js';
import { findSubscriptionsByIds } from '../../db/repositories/subscriptions.js';
import { findTakeoverSteps, type TakeoverStepRow } from '../../db/repositories/takeover-steps.js';
import { findTakeover } from '../../db/repositories/takeovers.js';
import { AppError } from '../../domain/errors.js';
import type { PurchaserNotice, TakeoverKind, TakeoverStatus } from '../../domain/takeover.js';
import { toSummary, type SubscriptionSummary } from '../subscription-summary.js';

/** One user of a take-over's license work, and what Microsoft said or which groups assign the license. */
export interface StepUser {
  name: string;
  email: string;
  /** Microsoft's words (refused, waiting, gone). */
  reason: string | null;
  /** Groups that assign the license (group), or that still do after the direct one went (done). */
  groups: string[];
}

/**
 * Where a take-over's per-user license work stands (Microsoft 365 only; the local tenant changes
 * everyone at once and keeps no steps).
 */
export interface LicenseWork {
  done: StepUser[];
  /** Held no license any more, or no longer in the tenant: nothing to change. */
  gone: StepUser[];
  /** Assigned by a group: cannot be changed per user. */
  group: StepUser[];
  /** Refused by Microsoft for good. */
  refused: StepUser[];
  /** A failure that may pass: tried again when the take-over resumes. */
  waiting: StepUser[];
  /** Holders not tried yet. */
  notYet: number;
}

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
  /** When it was marked cancelled in the admin center, or seen deleted by a sync (completedBy "tenant"). */
  completedAt: Date | null;
  completedBy: string | null;
  licenseWork: LicenseWork | null;
  /** The subscription was read from Microsoft 365 by a sync: no public API cancels it, an admin does in the admin center. */
  inTenant: boolean;
}

function groupsOf(detail: string | null): string[] {
  if (!detail?.startsWith('[')) return [];
  try {
    const parsed: unknown = JSON.parse(detail);
    return Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}

function licenseWorkOf(steps: TakeoverStepRow[], stillAssigned: number): LicenseWork | null {
  if (steps.length === 0) return null;
  const work: LicenseWork = { done: [], gone: [], group: [], refused: [], waiting: [], notYet: 0 };
  for (const step of steps) {
    const groups = step.status === 'done' || step.status === 'group' ? groupsOf(step.detail) : [];
    work[step.status].push({ name: step.user.name, email: step.user.email, reason: groups.length > 0 || step.status === 'group' ? null : step.detail, groups });
  }
  for (const list of [work.done, work.gone, work.group, work.refused, work.waiting]) list.sort((a, b) => a.name.localeCompare(b.name));
  // Those done no longer hold the subscription's license in the record; the others still do.
  work.notYet = Math.max(0, stillAssigned - (steps.length - work.done.length));
  return work;
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
  const steps = await findTakeoverSteps(prisma, id);
  const tenant = await prisma.subscription.findUnique({ where: { id: request.subscriptionId }, select: { graphId: true } });
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
    completedAt: request.completedAt,
    completedBy: request.completedBy,
    licenseWork: licenseWorkOf(steps, subscription.assigned),
    inTenant: Boolean(tenant?.graphId),
  };
}
