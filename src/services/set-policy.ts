/**
 * One product's or offer type's policy. The tenant is asked first; only what it accepted is
 * recorded (product, PolicyChange, audit) and announced in the admins' channel, together.
 * Changes of one product run one at a time (change-policy.ts).
 */
import { listRecordedPolicies } from '../db/repositories/policies.js';
import { AppError } from '../domain/errors.js';
import type { PolicyKind, PolicyValue, RecordedPolicy } from '../domain/policy.js';
import { matchProduct } from '../domain/products.js';
import { enqueue } from '../outbox/enqueue.js';
import { changePolicy } from './change-policy.js';
import type { Actor, ServiceContext } from './context.js';
import { outboxContent } from './messages.js';
import type { PolicyDeps, PolicyOutcome } from './policy-deps.js';

function refuseTrialsOnOfferType(policy: { id: string; kind: PolicyKind }, value: PolicyValue): void {
  if (policy.kind === 'offerType' && value === 'OnlyTrialsWithoutPaymentMethod') {
    throw new AppError(
      'bad_input',
      `trials refused for offer type ${policy.id}`,
      `${policy.id} is a third-party offer type: it takes only enabled or disabled. Trials without a payment method apply to Microsoft products only.`,
    );
  }
}

/** Products by ProductId, name or part of it; offer types by their id (e.g. SaaS) or name. */
function findPolicy(policies: RecordedPolicy[], query: string): RecordedPolicy {
  return matchProduct(query, policies);
}

export async function setPolicy(ctx: ServiceContext, deps: PolicyDeps, actor: Actor, request: { product: string; value: PolicyValue }): Promise<PolicyOutcome> {
  const target = findPolicy(await listRecordedPolicies(ctx.prisma), request.product);
  refuseTrialsOnOfferType(target, request.value);
  const policy = { id: target.id, kind: target.kind, name: target.name };
  const result = await changePolicy(ctx, deps.tenant, actor, policy, request.value, {
    announce: async (tx, change) => {
      if (!deps.adminChannelId) return;
      const message = deps.notices.changed(actor.slackUserId, { policy, ...change });
      const post = { channel: deps.adminChannelId, ...outboxContent(message), ifFailed: { user: actor.slackUserId } };
      await enqueue(tx, 'post', `policy.change.${change.changeId}`, post, ctx.now);
    },
  });
  return { policy, before: result.before, after: result.after, changed: result.changed };
}
