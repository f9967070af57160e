/**
 * The record of purchase policies: Product.policyValue with when and by whom it last changed,
 * and one PolicyChange row per change. Only values a tenant accepted (or reported) get here.
 */
import { randomUUID } from 'node:crypto';
import { CHANGED_OUTSIDE, isPolicyValue, type PolicyValue, type RecordedPolicy } from '../../domain/policy.js';
import type { TenantPolicy } from '../../tenant/port.js';
import type { Db } from '../client.js';
import { recordAudit } from './audit.js';
import { Prisma } from './sql.js';

export type PolicyChangeSource = 'bot' | 'guard' | 'external';

/** A Product row as the policy statement returns it, with the JobState value asked for alongside. */
interface RawPolicyRow {
  id: string | null;
  kind: string | null;
  name: string | null;
  policyValue: string | null;
  policyChangedAt: Date | null;
  policyChangedBy: string | null;
  firstSeenAt: Date | null;
  jobState: string | null;
}

/**
 * Products first, then offer types; each by name, with one JobState value (`jobStateKey`) in
 * the same statement when asked for. Products whose policy was never read (kind sku) are left out. In SQL, not
 * findMany: Prisma spent about 1 ms making objects of 21 products, against 0.3 ms for this
 * statement, and `/purchases policy` is interactive (bench: policy list).
 */
export async function readRecordedPolicies(db: Db, jobStateKey?: string): Promise<{ policies: RecordedPolicy[]; jobState: string | null }> {
  // From a one-row table, so that the JobState value comes back even when no product is recorded.
  const rows = await db.$queryRaw<RawPolicyRow[]>`
    SELECT p."id", p."kind", p."name", p."policyValue", p."policyChangedAt", p."policyChangedBy", p."firstSeenAt", j."jobState"
    FROM (SELECT ${jobStateKey === undefined ? Prisma.sql`NULL` : Prisma.sql`(SELECT v."value" FROM "JobState" v WHERE v."key" = ${jobStateKey})`} AS "jobState") j
    LEFT JOIN "Product" p ON p."kind" IN (${'product'}, ${'offerType'})
    ORDER BY p."kind" DESC, p."name" ASC`;
  const policies: RecordedPolicy[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    if (row.policyValue === null || !isPolicyValue(row.policyValue)) throw new Error(`Product ${row.id} holds an unknown policy value ${row.policyValue}`);
    policies.push({
      id: row.id,
      kind: row.kind === 'offerType' ? 'offerType' : 'product',
      name: row.name ?? '',
      value: row.policyValue,
      changedAt: row.policyChangedAt,
      changedBy: row.policyChangedBy,
      firstSeenAt: row.firstSeenAt ?? new Date(0),
    });
  }
  return { policies, jobState: rows[0]?.jobState ?? null };
}

/** Products first, then offer types; each by name (readRecordedPolicies). */
export async function listRecordedPolicies(db: Db): Promise<RecordedPolicy[]> {
  return (await readRecordedPolicies(db)).policies;
}

export interface PolicyChangeInput {
  policy: TenantPolicy;
  before: PolicyValue | null;
  source: PolicyChangeSource;
  /** Stored on Product.policyChangedBy and PolicyChange.changedBy. */
  changedBy: string;
  /** Who the audit log names: the Slack user, or the job. */
  auditActor: string;
  detail?: string;
  at: Date;
}

/**
 * Writes a change the tenant accepted: the product (inserted if the record did not know it),
 * a PolicyChange row and an audit event. Returns the PolicyChange id (a dedupe key for its
 * announcement). Run it inside the transaction that also enqueues the announcement.
 */
export async function recordPolicyChange(db: Db, change: PolicyChangeInput): Promise<string> {
  const { policy, at } = change;
  await db.product.upsert({
    where: { id: policy.id },
    update: { policyValue: policy.value, policyChangedAt: at, policyChangedBy: change.changedBy },
    create: {
      id: policy.id,
      kind: policy.kind,
      name: policy.name,
      policyValue: policy.value,
      policyChangedAt: at,
      policyChangedBy: change.changedBy,
      firstSeenAt: at,
    },
  });
  const id = randomUUID();
  await db.policyChange.create({
    data: { id, productId: policy.id, before: change.before, after: policy.value, source: change.source, changedBy: change.changedBy, at },
  });
  await recordAudit(db, {
    actorId: change.auditActor,
    action: 'policy.set',
    subjectType: policy.kind,
    subjectId: policy.id,
    before: change.before === null ? undefined : { policyValue: change.before },
    after: { policyValue: policy.value },
    detail: change.detail ?? `source: ${change.source}`,
    at,
  });
  return id;
}

/**
 * A product or offer type whose policy is read for the first time: inserted, or, when a tenant
 * sync or an import recorded it first (kind sku, no policy yet), made a product with its policy.
 * One statement, so a sync inserting the product at the same moment (another replica) is waited
 * for and its row promoted, not failed on. Returns false, changing nothing, when the product is
 * recorded with a policy already: another run of the guard recorded it first (and reported it).
 */
export async function insertProductPolicy(db: Db, policy: { id: string; kind: string; name: string; value: string }, now: Date): Promise<boolean> {
  const written = await db.$executeRaw`
    INSERT INTO "Product" ("id", "kind", "name", "policyValue", "firstSeenAt", "createdAt", "updatedAt")
    VALUES (${policy.id}, ${policy.kind}, ${policy.name}, ${policy.value}, ${now}, ${now}, ${now})
    ON CONFLICT ("id") DO UPDATE SET "kind" = excluded."kind", "name" = excluded."name", "policyValue" = excluded."policyValue",
      "firstSeenAt" = excluded."firstSeenAt", "updatedAt" = excluded."updatedAt"
    WHERE "Product"."kind" = ${'sku'}`;
  return written === 1;
}

/** Records a value changed outside the bot, only if the record still holds `from`; says whether it did. */
export async function updatePolicyChangedOutside(db: Db, id: string, from: string, to: string, now: Date): Promise<boolean> {
  const { count } = await db.product.updateMany({
    where: { id, policyValue: from },
    data: { policyValue: to, policyChangedAt: now, policyChangedBy: CHANGED_OUTSIDE },
  });
  return count === 1;
}
