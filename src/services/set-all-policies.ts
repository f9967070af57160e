/**
 * The tenant-wide switch the admin center lacks: one value for every product and offer type.
 * The plan is read from the tenant (it may know a change the record has not seen yet); each
 * change is asked of the tenant and recorded only when accepted, so a partial failure leaves
 * an exact account of what changed, what did not, and why.
 */
import { randomUUID } from 'node:crypto';
import { listRecordedPolicies } from '../db/repositories/policies.js';
import { isAppError } from '../domain/errors.js';
import { policyWord, type PolicyValue } from '../domain/policy.js';
import { enqueue } from '../outbox/enqueue.js';
import { changePolicy } from './change-policy.js';
import type { Actor, ServiceContext } from './context.js';
import { outboxContent } from './messages.js';
import type { AllPoliciesResult, PolicyDeps, PolicyPlan } from './policy-deps.js';

/** Parallel calls to the tenant: enough to finish in seconds, few enough not to be throttled. */
const CONCURRENCY = 4;

export async function planAllPolicies(ctx: ServiceContext, deps: PolicyDeps, value: PolicyValue): Promise<PolicyPlan> {
  const [tenant, recorded] = await Promise.all([deps.tenant.listPolicies(), listRecordedPolicies(ctx.prisma)]);
  const names = new Map(recorded.map((policy) => [policy.id, policy.name]));
  const plan: PolicyPlan = { value, toChange: [], unchanged: [], skipped: [] };
  for (const found of tenant) {
    const policy = { ...found, name: names.get(found.id) ?? found.name };
    if (policy.kind === 'offerType' && value === 'OnlyTrialsWithoutPaymentMethod') plan.skipped.push(policy);
    else if (policy.value === value) plan.unchanged.push(policy);
    else plan.toChange.push(policy);
  }
  return plan;
}

async function eachWithConcurrency<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function reasonOf(error: unknown): string {
  if (isAppError(error)) return error.userMessage;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

export async function setAllPolicies(ctx: ServiceContext, deps: PolicyDeps, actor: Actor, value: PolicyValue): Promise<AllPoliciesResult> {
  const plan = await planAllPolicies(ctx, deps, value);
  const outcomes = new Map<string, { before: PolicyValue } | { already: true } | { reason: string }>();
  await eachWithConcurrency(plan.toChange, CONCURRENCY, async (policy) => {
    try {
      const change = await changePolicy(ctx, deps.tenant, actor, policy, value, { detail: `source: bot, policy all ${policyWord(value)}` });
      outcomes.set(policy.id, change.changed ? { before: change.before } : { already: true });
    } catch (error) {
      outcomes.set(policy.id, { reason: reasonOf(error) });
    }
  });
  const result: AllPoliciesResult = { ...plan, toChange: [...plan.toChange], unchanged: [...plan.unchanged], changed: [], failed: [] };
  for (const policy of plan.toChange) {
    const outcome = outcomes.get(policy.id);
    if (outcome && 'before' in outcome) result.changed.push({ policy, before: outcome.before });
    // Someone set it to this value between the plan and the change: already so, not changed by this.
    else if (outcome && 'already' in outcome) result.unchanged.push({ ...policy, value });
    else result.failed.push({ policy, reason: outcome?.reason ?? 'not attempted' });
  }
  if (deps.adminChannelId && (result.changed.length > 0 || result.failed.length > 0)) {
    const message = deps.notices.allChanged(actor.slackUserId, result);
    await enqueue(
      ctx.prisma,
      'post',
      `policy.all.${randomUUID()}`,
      { channel: deps.adminChannelId, ...outboxContent(message), ifFailed: { user: actor.slackUserId } },
      ctx.now,
    );
  }
  return result;
}
