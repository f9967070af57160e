/**
 * The policy guard: reads every policy from the tenant and compares it with the record.
 * - A product new to the record is inserted and reported with its value; with
 *   POLICY_GUARD=enforce, one that arrives Enabled is first set to POLICY_DEFAULT.
 * - A value changed outside the bot (admin center, PowerShell) is recorded as such and reported.
 * The first run over an empty record only takes stock: every product would be "new" then.
 * Each finding is written together with its report (outbox, unique dedupe key) and guarded by
 * a conditional update, so a rerun or a second replica finds nothing left to report.
 * POLICY_GUARD=off keeps the record in step and reports nothing.
 */
import { writeJobState } from '../db/repositories/job-state.js';
import {
  CHANGED_BY_GUARD,
  CHANGED_OUTSIDE,
  insertProductPolicy,
  listRecordedPolicies,
  recordPolicyChange,
  updatePolicyChangedOutside,
  type RecordedPolicy,
} from '../db/repositories/policies.js';
import type { PrismaClient, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { isAppError } from '../domain/errors.js';
import { policyMeaning, policyWord, type PolicyValue } from '../domain/policy.js';
import { enqueue } from '../outbox/enqueue.js';
import { LAST_POLICY_SYNC_KEY } from '../services/list-policies.js';
import type { PolicyTenant, TenantPolicy } from '../tenant/port.js';
import type { Config } from '../config.js';
import type { Job, JobDeps } from './job.js';

export const POLICY_GUARD_ACTOR = 'policy-guard';

export interface PolicyGuardDeps {
  prisma: PrismaClient;
  tenant: PolicyTenant;
  mode: 'off' | 'report' | 'enforce';
  defaultValue: PolicyValue;
  adminChannelId?: string | undefined;
}

export interface PolicyGuardSummary {
  /** The first run over an empty record: products were recorded, none reported as new. */
  baseline: boolean;
  read: number;
  newProducts: string[];
  enforced: string[];
  enforceFailed: Array<{ id: string; reason: string }>;
  external: string[];
}

function name(policy: { id: string; name: string }): string {
  return `*${policy.name}* (\`${policy.id}\`)`;
}

export async function runPolicyGuard(deps: PolicyGuardDeps, now: Date): Promise<PolicyGuardSummary> {
  const { prisma } = deps;
  const policies = await deps.tenant.listPolicies();
  const recorded = new Map((await listRecordedPolicies(prisma)).map((policy) => [policy.id, policy]));
  const summary: PolicyGuardSummary = { baseline: recorded.size === 0, read: policies.length, newProducts: [], enforced: [], enforceFailed: [], external: [] };
  const report = async (tx: Tx | PrismaClient, key: string, text: string) => {
    if (deps.mode === 'off' || !deps.adminChannelId) return;
    await enqueue(tx, 'post', key, { channel: deps.adminChannelId, text }, now);
  };

  for (const policy of policies) {
    const known = recorded.get(policy.id);
    if (!known) await newProduct(deps, policy, summary, report, now);
    else if (known.value !== policy.value) await changedOutside(deps, known, policy, summary, report, now);
  }

  if (summary.baseline && policies.length > 0) {
    await report(
      prisma,
      'policy.guard.baseline',
      `:shield: The policy guard read the tenant for the first time and recorded ${policies.length} products and offer types. From now on it reports new products and changes made outside the bot.`,
    );
  }
  await writeJobState(prisma, LAST_POLICY_SYNC_KEY, now.toISOString(), now);
  return summary;
}

type Report = (tx: Tx | PrismaClient, key: string, text: string) => Promise<void>;

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
  try {
    await deps.prisma.$transaction(async (tx) => {
      await insertProductPolicy(tx, policy, now);
      if (summary.baseline) return;
      const arrived = `:new: New in the tenant: ${name(policy)}, self-service purchases *${policyWord(policy.value)}* (${policyMeaning(policy.value)}).`;
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
        await report(tx, `policy.guard.new.${policy.id}`, `${arrived} The policy guard set it to *${policyWord(accepted.value)}* (POLICY_DEFAULT).`);
      } else if (failure) {
        await report(tx, `policy.guard.new.${policy.id}`, `${arrived} :warning: The policy guard could not set it to ${policyWord(deps.defaultValue)}: ${failure}`);
      } else {
        await report(tx, `policy.guard.new.${policy.id}`, `${arrived} Change it with \`/purchases policy ${policy.id} disabled\`.`);
      }
    });
  } catch (error) {
    // Another run recorded it first: it reported it too.
    if (isUniqueViolation(error)) return;
    throw error;
  }
  if (summary.baseline) return;
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
    await report(
      tx,
      `policy.guard.external.${changeId}`,
      `:eyes: ${name(known)} was changed outside the bot (admin center or PowerShell): now *${policyWord(policy.value)}* (${policyMeaning(policy.value)}), was ${policyWord(known.value)}.`,
    );
    return true;
  });
  if (recordedIt) summary.external.push(policy.id);
}

/** The guard's dependencies from the configuration (for bot.ts and the scheduler). */
export function policyGuardDeps(
  config: { POLICY_GUARD: PolicyGuardDeps['mode']; POLICY_DEFAULT: PolicyValue; ADMIN_CHANNEL_ID?: string | undefined },
  prisma: PrismaClient,
  tenant: PolicyTenant,
): PolicyGuardDeps {
  return { prisma, tenant, mode: config.POLICY_GUARD, defaultValue: config.POLICY_DEFAULT, adminChannelId: config.ADMIN_CHANNEL_ID };
}

export const POLICY_GUARD_JOB = 'policy-guard';

/** The guard on POLICY_SYNC_CRON, claimed once per slot like every scheduled job. */
export function policyGuardJob(config: Config): Job<JobDeps> {
  return {
    name: POLICY_GUARD_JOB,
    cron: config.POLICY_SYNC_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now) {
      const summary = await runPolicyGuard(policyGuardDeps(config, deps.prisma, deps.policyTenant), now);
      deps.kickOutbox();
      return summary;
    },
  };
}
