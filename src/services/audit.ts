import { recordAudit } from '../db/repositories/audit.js';
import type { Actor, ServiceContext } from './context.js';

/** A refused attempt is part of the record too: who tried what, and when. */
export function recordAccessDenied(
  ctx: ServiceContext,
  actor: Actor,
  attempt: { kind: 'command' | 'action' | 'view' | 'shortcut' | 'event'; name: string },
  /** Why the request was refused when it is not "not an admin" (e.g. it named no user). */
  detail?: string,
): Promise<void> {
  return recordAudit(ctx.prisma, {
    actorId: actor.slackUserId,
    action: 'access.denied',
    subjectType: attempt.kind,
    subjectId: attempt.name,
    outcome: 'denied',
    ...(detail ? { detail } : {}),
    at: ctx.now,
  });
}
