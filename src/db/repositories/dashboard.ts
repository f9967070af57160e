/**
 * App Home's single numbers in one statement. Each of them is cheap for the database (a kept
 * total, an indexed count, a JobState row by key), but through Prisma's query API each was a
 * statement of its own, about fifteen per App Home, each costing Prisma's 0.2–1 ms of overhead
 * more than the database's work: one SELECT of scalar sub-queries asks them all in one round
 * trip, and they come from one snapshot of the record.
 */
import { ACTIVE_STATUS, DELETED_STATUS } from '../../domain/spend.js';
import type { Db } from '../client.js';
import { Prisma, toCount } from './sql.js';

export interface DashboardNumbers {
  /** Self-service subscriptions by status, and active trials among them (SelfServiceTotal). */
  counts: { active: number; deleted: number; trials: number };
  /** Active self-service subscriptions expiring in [expiringFrom, expiringBefore). */
  expiring: number;
  pendingTakeovers: number;
  awaitingAdminCenter: number;
  /** Messages Slack refused for good since `undeliveredSince`, and the latest one's error. */
  undelivered: { count: number; latestError: string | null };
  /** The value of each JobState key asked for; a key absent from the table is absent here. */
  jobState: Map<string, string>;
}

export interface DashboardNumbersQuery {
  expiringFrom: Date;
  expiringBefore: Date;
  undeliveredSince: Date;
  jobStateKeys: readonly string[];
}

export async function readDashboardNumbers(db: Db, query: DashboardNumbersQuery): Promise<DashboardNumbers> {
  const keys = query.jobStateKeys.map((key, i) => Prisma.sql`(SELECT j."value" FROM "JobState" j WHERE j."key" = ${key}) AS ${Prisma.raw(`"key${i}"`)}`);
  const [row] = await db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT
      (SELECT sum(CASE WHEN t."status" = ${ACTIVE_STATUS} THEN t."subscriptions" ELSE 0 END) FROM "SelfServiceTotal" t) AS "active",
      (SELECT sum(CASE WHEN t."status" = ${DELETED_STATUS} THEN t."subscriptions" ELSE 0 END) FROM "SelfServiceTotal" t) AS "deleted",
      (SELECT sum(CASE WHEN t."status" = ${ACTIVE_STATUS} AND t."isTrial" = ${true} THEN t."subscriptions" ELSE 0 END) FROM "SelfServiceTotal" t) AS "trials",
      (SELECT count(*) FROM "Subscription" s
        WHERE s."status" = ${ACTIVE_STATUS} AND s."isSelfService" = ${true}
          AND s."expiresAt" >= ${query.expiringFrom} AND s."expiresAt" < ${query.expiringBefore}) AS "expiring",
      (SELECT count(*) FROM "TakeoverRequest" r WHERE r."status" = ${'PENDING'}) AS "pending",
      (SELECT count(*) FROM "TakeoverRequest" r WHERE r."status" = ${'AWAITING_ADMIN_CENTER'}) AS "awaiting",
      (SELECT count(*) FROM "OutboxMessage" o WHERE o."status" = ${'failed'} AND o."createdAt" >= ${query.undeliveredSince}) AS "undelivered",
      (SELECT o."lastError" FROM "OutboxMessage" o WHERE o."status" = ${'failed'} AND o."createdAt" >= ${query.undeliveredSince}
        ORDER BY o."createdAt" DESC, o."id" DESC LIMIT 1) AS "latestError"
      ${keys.length > 0 ? Prisma.sql`, ${Prisma.join(keys)}` : Prisma.empty}`;
  const jobState = new Map<string, string>();
  query.jobStateKeys.forEach((key, i) => {
    const value = row?.[`key${i}`];
    if (typeof value === 'string') jobState.set(key, value);
  });
  const latestError = row?.latestError;
  return {
    counts: { active: toCount(row?.active), deleted: toCount(row?.deleted), trials: toCount(row?.trials) },
    expiring: toCount(row?.expiring),
    pendingTakeovers: toCount(row?.pending),
    awaitingAdminCenter: toCount(row?.awaiting),
    undelivered: { count: toCount(row?.undelivered), latestError: typeof latestError === 'string' ? latestError : null },
    jobState,
  };
}
