/**
 * One product's policy change, the core of `policy <product> <value>` and `policy all`. Changes
 * of one product are serialized (in this process by a queue, across replicas by a lease in the
 * database), and inside that turn the tenant is read first: the value it holds is the "before",
 * an equal value is "already so" (true: this request changed nothing), a different one is asked
 * for. Every change the tenant accepted is recorded with the announcement in one transaction; if
 * that write fails, the intent written before asking stays behind, and the next change of the
 * product or the policy guard records it, audited as this admin's change.
 */
import { randomUUID } from 'node:crypto';
import type { Db, PrismaClient } from '../db/client.js';
import { acquireLease, releaseLease } from '../db/repositories/leases.js';
import { deletePolicyIntent, readPolicyIntent, writePolicyIntent } from '../db/repositories/policy-intents.js';
import { recordPolicyChange } from '../db/repositories/policies.js';
import { AppError } from '../domain/errors.js';
import { CHANGED_OUTSIDE, isPolicyValue, type PolicyKind, type PolicyValue } from '../domain/policy.js';
import type { PolicyTenant, TenantPolicy } from '../tenant/port.js';
import type { Actor, ServiceContext } from './context.js';

/** Longer than any tenant call with its retries; a holder that died blocks nobody for longer. */
const LOCK_TTL_MS = 5 * 60_000;
/** The database write after an accepted change is tried this often before it is left to reconciliation. */
const RECORD_ATTEMPTS = 2;

const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for `key` in this process has finished. */
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const mine = previous.then(work, work);
  const settled = mine.catch(() => undefined);
  queues.set(key, settled);
  try {
    return await mine;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

async function recordedValue(db: Db, id: string): Promise<PolicyValue | undefined> {
  const row = await db.product.findUnique({ where: { id }, select: { policyValue: true } });
  return row && isPolicyValue(row.policyValue) ? row.policyValue : undefined;
}

/**
 * Records the change a left-behind intent stands for, if the tenant holds its value and the
 * record does not; drops the intent either way. Returns whether it recorded something.
 */
export async function reconcilePolicyIntent(
  db: Db,
  policy: { id: string; kind: PolicyKind; name: string },
  tenantValue: PolicyValue,
  now: Date,
): Promise<boolean> {
  const intent = await readPolicyIntent(db, policy.id);
  if (!intent) return false;
  const recorded = await recordedValue(db, policy.id);
  const madeIt = tenantValue === intent.value && recorded !== intent.value;
  if (madeIt) {
    await recordPolicyChange(db, {
      policy: { ...policy, value: intent.value },
      before: recorded ?? intent.before,
      source: 'bot',
      changedBy: intent.actor,
      auditActor: intent.actor,
      detail: `source: bot, recorded afterwards (the tenant accepted the change at ${intent.at} but the record was not written then)`,
      at: now,
    });
  }
  await deletePolicyIntent(db, policy.id);
  return madeIt;
}

export interface ChangeResult {
  before: PolicyValue;
  after: PolicyValue;
  changed: boolean;
  /** The PolicyChange id, when something changed. */
  changeId?: string;
}

/**
 * Sets `policy` to `value` at the tenant and records it; `announce` runs in the recording
 * transaction (it enqueues the announcement).
 */
export async function changePolicy(
  ctx: ServiceContext,
  tenant: PolicyTenant,
  actor: Actor,
  policy: { id: string; kind: PolicyKind; name: string },
  value: PolicyValue,
  options: { detail?: string; announce?: (tx: Db, result: ChangeResult) => Promise<void> } = {},
): Promise<ChangeResult> {
  return inTurn(policy.id, async () => {
    const done = await withPolicyLock(ctx.prisma, policy.id, ctx.now, () => changeInTurn(ctx, tenant, actor, policy, value, options));
    if (!done) {
      throw new AppError('conflict', `policy ${policy.id} locked`, `Another change of ${policy.name} is under way right now. Try again in a moment.`);
    }
    return done.result;
  });
}

/**
 * Runs `work` holding the product's policy lock (across replicas); undefined, without running
 * it, when someone else holds the lock (a change of that product is under way).
 */
export async function withPolicyLock<T>(db: PrismaClient, productId: string, now: Date, work: () => Promise<T>): Promise<{ result: T } | undefined> {
  const lease = await acquireLease(db, `policy.lock.${productId}`, randomUUID(), now, LOCK_TTL_MS);
  if (!lease.ok) return undefined;
  try {
    return { result: await work() };
  } finally {
    await releaseLease(db, lease.lease).catch(() => undefined);
  }
}

async function changeInTurn(
  ctx: ServiceContext,
  tenant: PolicyTenant,
  actor: Actor,
  policy: { id: string; kind: PolicyKind; name: string },
  value: PolicyValue,
  options: { detail?: string; announce?: (tx: Db, result: ChangeResult) => Promise<void> },
): Promise<ChangeResult> {
  const current = await tenant.getPolicy(policy.id, policy.kind);
  await reconcilePolicyIntent(ctx.prisma, policy, current.value, ctx.now);
  const recorded = await recordedValue(ctx.prisma, policy.id);
  if (recorded !== undefined && recorded !== current.value) {
    // Changed outside the bot since the record last heard of it: say so before recording ours.
    await recordPolicyChange(ctx.prisma, {
      policy: { ...policy, value: current.value },
      before: recorded,
      source: 'external',
      changedBy: CHANGED_OUTSIDE,
      auditActor: actor.slackUserId,
      detail: 'source: external, found when the bot read the tenant before a change',
      at: ctx.now,
    });
  }
  if (current.value === value) return { before: current.value, after: value, changed: false };

  await writePolicyIntent(
    ctx.prisma,
    policy.id,
    { actor: actor.slackUserId, before: current.value, value, at: ctx.now.toISOString(), ...(options.detail ? { detail: options.detail } : {}) },
    ctx.now,
  );
  let accepted: TenantPolicy;
  try {
    accepted = await tenant.setPolicy(policy.id, policy.kind, value);
  } catch (error) {
    await deletePolicyIntent(ctx.prisma, policy.id);
    throw error;
  }
  if (accepted.value === current.value) {
    await deletePolicyIntent(ctx.prisma, policy.id);
    return { before: current.value, after: accepted.value, changed: false };
  }
  const record = () =>
    ctx.prisma.$transaction(async (tx) => {
      const changeId = await recordPolicyChange(tx, {
        policy: { ...accepted, name: policy.name },
        before: current.value,
        source: 'bot',
        changedBy: actor.slackUserId,
        auditActor: actor.slackUserId,
        ...(options.detail ? { detail: options.detail } : {}),
        at: ctx.now,
      });
      const result: ChangeResult = { before: current.value, after: accepted.value, changed: true, changeId };
      await options.announce?.(tx, result);
      await deletePolicyIntent(tx, policy.id);
      return result;
    });
  let lastError: unknown;
  for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt += 1) {
    try {
      return await record();
    } catch (error) {
      lastError = error;
    }
  }
  throw new AppError(
    'tenant_unavailable',
    `policy ${policy.id} changed to ${accepted.value} but not recorded: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    `The tenant accepted the change of ${policy.name} to ${accepted.value}, but the bot could not write it to its record. It will record it (as your change) the next time the product's policy is changed or the policy guard runs.`,
    { cause: lastError },
  );
}
