/**
 * The policy guard: reads every policy from the tenant and compares it with the record.
 * - A product new to the record is inserted and reported with its value; with
 *   POLICY_GUARD=enforce, one that arrives Enabled is first set to POLICY_DEFAULT.
 * - A value changed outside the bot (admin center, PowerShell) is recorded as such and reported,
 *   unless the bot itself made it and failed to record it then: that is recorded as the admin's.
 * The first run over an empty record only takes stock: every product would be "new" then.
 * Each finding is written together with its report (outbox, unique dedupe key) and guarded by
 * a conditional update, so a rerun or a second replica finds nothing left to report.
 * POLICY_GUARD=off keeps the record in step and reports nothing.
 * The rules are here; the wording is the Slack layer's (PolicyGuardNotices), the schedule the
 * job's (jobs/policy-guard-job.ts).
 */
import { writeJobState } from '../db/repositories/job-state.js';
import { insertProductPolicy, listRecordedPolicies, recordPolicyChange, updatePolicyChangedOutside } from '../db/repositories/policies.js';
import type { PrismaClient, Tx } from '../db/client.js';
import { isAppError } from '../domain/errors.js';
import { CHANGED_BY_GUARD, CHANGED_OUTSIDE, type PolicyValue, type RecordedPolicy } from '../domain/policy.js';
import { enqueue } from '../outbox/enqueue.js';
import type { PolicyTenant, TenantPolicy } from '../tenant/port.js';
import { reconcilePolicyIntent, withPolicyLock } from './change-policy.js';
import { LAST_POLICY_SYNC_KEY } from './list-policies.js';
import { outboxContent, type Message } from './messages.js';

export const POLICY_GUARD_ACTOR = 'policy-guard';

/** What the guard did about a product new to the record. */
export type NewProductAction = { kind: 'reported' } | { kind: 'enforced'; value: PolicyValue } | { kind: 'enforce-failed'; value: PolicyValue; reason: string };

/** What the policy guard tells the admins' channel: a port the Slack layer implements. */
export interface PolicyGuardNotices {
  /** The first run over an empty record: it recorded `count` products and offer types. */
  baseline(count: number): Message;
  /** A product or offer type new to the record, as the tenant has it, and what the guard did. */
  newProduct(policy: TenantPolicy, action: NewProductAction): Message;
  /** A value changed outside the bot (admin center or PowerShell). */
  changedOutside(policy: { id: string; name: string }, before: PolicyValue, after: PolicyValue): Message;
}

export interface PolicyGuardDeps {
  prisma: PrismaClient;
  tenant: PolicyTenant;
  mode: 'off' | 'report' | 'enforce';
  defaultValue: PolicyValue;
  adminChannelId?: string | undefined;
  notices: PolicyGuardNotices;
}

export interface PolicyGuardSummary {
  /** The first run over an empty record: products were recorded, none reported as new. */
  baseline: boolean;
  read: number;
  newProducts: string[];
  enforced: string[];
  enforceFailed: Array<{ id: string; reason: string }>;
  external: string[];
  /** Changes the bot made whose record had failed: recorded now as the admin's (change-policy.ts). */
  reconciled: string[];
}

export async function runPolicyGuard(deps: PolicyGuardDeps, now: Date): Promise<PolicyGuardSummary> {
  const { prisma } = deps;
  const policies = await deps.tenant.listPolicies();
  const recorded = new Map((await listRecordedPolicies(prisma)).map((policy) => [policy.id, policy]));
  const summary: PolicyGuardSummary = {
    baseline: recorded.size === 0,
    read: policies.length,
    newProducts: [],
    enforced: [],
    enforceFailed: [],
    external: [],
    reconciled: [],
  };
  const report = async (tx: Tx | PrismaClient, key: string, message: Message) => {
    if (deps.mode === 'off' || !deps.adminChannelId) return;
    await enqueue(tx, 'post', key, { channel: deps.adminChannelId, ...outboxContent(message) }, now);
  };

  for (const policy of policies) {
    const known = recorded.get(policy.id);
    if (!known) await newProduct(deps, policy, summary, report, now);
    else if (known.value !== policy.value) {
      // A change of this product under way records itself; one that left its record undone is this run's.
      const reconciled = await withPolicyLock(prisma, policy.id, now, () => reconcilePolicyIntent(prisma, known, policy.value, now));
      if (!reconciled) continue;
      if (reconciled.result) summary.reconciled.push(policy.id);
      else await changedOutside(deps, known, policy, summary, report, now);
    }
  }

  if (summary.baseline && policies.length > 0) {
    await report(prisma, 'policy.guard.baseline', deps.notices.baseline(policies.length));
  }
  await writeJobState(prisma, LAST_POLICY_SYNC_KEY, now.toISOString(), now);
  return summary;
}

type Report = (tx: Tx | PrismaClient, key: string, message: Message) => Promise<void>;

async function newProduct(deps: PolicyGuardDeps, policy: TenantPolicy, summary: PolicyGuardSummary, report: Report, now: Date): Promise<void> {
  const enforce =
    !summary.baseline &&
    deps.mode === 'enforce' &&
    policy.value === 'Enabled' &&
    deps.defaultValue !== 'Enabled' &&
    !(policy.kind === 'offerType' && deps.defaultValue === 'OnlyTrialsWithoutPaymentMethod');
  let accepted: TenantPolicy | undefined;
  let failure: string | undefined;
  if (enforce) {
    try {
      accepted = await deps.tenant.setPolicy(policy.id, policy.kind, deps.defaultValue);
    } catch (error) {
      failure = isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
    }
  }
  // False when another run recorded the product first (insertProductPolicy): it reported it too.
  const recorded = await deps.prisma.$transaction(async (tx) => {
    if (!(await insertProductPolicy(tx, policy, now))) return false;
    if (summary.baseline) return true;
    if (accepted) {
      await recordPolicyChange(tx, {
        policy: { ...accepted, name: policy.name },
        before: policy.value,
        source: 'guard',
        changedBy: CHANGED_BY_GUARD,
        auditActor: POLICY_GUARD_ACTOR,
        detail: 'source: guard, POLICY_GUARD=enforce on a new product',
        at: now,
      });
    }
    const action: NewProductAction = accepted
      ? { kind: 'enforced', value: accepted.value }
      : failure
        ? { kind: 'enforce-failed', value: deps.defaultValue, reason: failure }
        : { kind: 'reported' };
    await report(tx, `policy.guard.new.${policy.id}`, deps.notices.newProduct(policy, action));
    return true;
  });
  if (!recorded || summary.baseline) return;
  summary.newProducts.push(policy.id);
  if (accepted) summary.enforced.push(policy.id);
  if (failure) summary.enforceFailed.push({ id: policy.id, reason: failure });
}

async function changedOutside(
  deps: PolicyGuardDeps,
  known: RecordedPolicy,
  policy: TenantPolicy,
  summary: PolicyGuardSummary,
  report: Report,
  now: Date,
): Promise<void> {
  const recordedIt = await deps.prisma.$transaction(async (tx) => {
    if (!(await updatePolicyChangedOutside(tx, known.id, known.value, policy.value, now))) return false;
    const changeId = await recordPolicyChange(tx, {
      policy: { ...policy, name: known.name },
      before: known.value,
      source: 'external',
      changedBy: CHANGED_OUTSIDE,
      auditActor: POLICY_GUARD_ACTOR,
      at: now,
    });
    await report(tx, `policy.guard.external.${changeId}`, deps.notices.changedOutside(known, known.value, policy.value));
    return true;
  });
  if (recordedIt) summary.external.push(policy.id);
}

/** The guard's dependencies from the configuration (for the start-up run and the job). */
export function policyGuardDeps(
  config: { POLICY_GUARD: PolicyGuardDeps['mode']; POLICY_DEFAULT: PolicyValue; ADMIN_CHANNEL_ID?: string | undefined },
  prisma: PrismaClient,
  tenant: PolicyTenant,
  notices: PolicyGuardNotices,
): PolicyGuardDeps {
  return { prisma, tenant, mode: config.POLICY_GUARD, defaultValue: config.POLICY_DEFAULT, adminChannelId: config.ADMIN_CHANNEL_ID, notices };
}
