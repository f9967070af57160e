/**
 * The tenant sync: the record fills itself from Microsoft Graph.
 *
 * The whole snapshot is read first (every page; the port throws AppError when Graph fails), then
 * the record is read and the differences applied in one transaction: a failure part-way leaves
 * the record as it was before this sync. A sync that finds nothing new writes nothing in the
 * record (no audit row, no updatedAt moved); only `sync.last` (when it ran, and what it found)
 * is written each time, for App Home. See sync-tenant-plan.ts for what changes and why.
 *
 * One sync at a time, across replicas: `runSyncExclusive` holds the `sync.lease` row while it
 * runs. `/purchases sync` and the start-up run call it directly; the scheduled run calls it
 * inside its JobRun slot claim, so it never overlaps them either.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudits } from '../db/repositories/audit.js';
import { writeHoldings } from '../db/repositories/holdings.js';
import { takeImportTurn } from '../db/repositories/imports.js';
import { readJobState, writeJobState } from '../db/repositories/job-state.js';
import { acquireLease, releaseLease } from '../db/repositories/leases.js';
import { writeAssignments } from '../db/repositories/assignments.js';
import { readSyncRecord, writePeople, writeProducts, writeSubscriptions } from '../db/repositories/sync.js';
import { isAppError } from '../domain/errors.js';
import type { TenantDirectory } from '../tenant/port.js';
import { finishTakeoversSeenDeleted } from './takeover/decide.js';
import type { TakeoverNotices } from './takeover/notices.js';
import type { Actor, ServiceContext } from './context.js';
import { planSync, type SkuLookup, type SyncSummary } from './sync-tenant-plan.js';

export type { SkuInfo, SkuLookup, SyncSummary, SyncTally } from './sync-tenant-plan.js';
export { syncChangedNothing } from './sync-tenant-plan.js';

export const SYNC_LEASE_KEY = 'sync.lease';
export const LAST_TENANT_SYNC_KEY = 'sync.last';
/** Who the audit log names for a sync nobody asked for (start-up, schedule). */
export const TENANT_SYNC_ACTOR = 'tenant-sync';
/** Longer than any sync should take; a holder that died blocks others no longer than this. */
export const SYNC_LEASE_MS = 15 * 60_000;
/** An interactive transaction's limit (Prisma's default is 5 s): a large tenant's first sync writes a lot. */
const SYNC_TRANSACTION_MS = 10 * 60_000;

export interface SyncDeps {
  directory: TenantDirectory;
  /** Graph's skuId -> the product admins know (the SKU table). */
  skus: SkuLookup;
  actor: Actor;
  /** How take-overs finished by a sync (their subscription seen deleted) are worded; without it none are finished. */
  takeoverNotices?: TakeoverNotices;
}

/** What the start-up run, the schedule and `/purchases sync` share; each names its own actor. */
export type TenantSyncDeps = Omit<SyncDeps, 'actor'>;

/** Reads the tenant and brings the record in line with it, all or nothing. */
export async function syncTenant(ctx: ServiceContext, deps: SyncDeps): Promise<SyncSummary> {
  const snapshot = await deps.directory.readSnapshot();
  return ctx.prisma.$transaction(
    async (tx) => {
      // Imports write the same people and subscriptions: one at a time with them, so the record
      // read here holds what an import committed meanwhile (else its people are created twice).
      await takeImportTurn(tx);
      const record = await readSyncRecord(tx);
      const plan = planSync(snapshot, record, deps.skus, ctx.now, deps.actor.slackUserId);
      await writeProducts(tx, plan.writes.products, plan.writes.skus);
      await writePeople(tx, plan.writes.people, ctx.now);
      await writeSubscriptions(tx, plan.writes.subscriptions);
      await writeHoldings(tx, plan.writes.holdings, ctx.now);
      await writeAssignments(tx, plan.writes.assignments, ctx.now, 'graph');
      await recordAudits(tx, plan.audits);
      return plan.summary;
    },
    { timeout: SYNC_TRANSACTION_MS, maxWait: SYNC_TRANSACTION_MS },
  );
}

const lastSyncSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), at: z.iso.datetime(), summary: z.custom<SyncSummary>((v) => typeof v === 'object' && v !== null) }),
  z.object({ ok: z.literal(false), at: z.iso.datetime(), error: z.string() }),
]);

export type LastSync = { ok: true; at: Date; summary: SyncSummary } | { ok: false; at: Date; error: string };

/** When the last sync ran and what it found or why it failed; undefined before the first one. */
export async function readLastSync(ctx: Pick<ServiceContext, 'prisma'>): Promise<LastSync | undefined> {
  return parseLastSync(await readJobState(ctx.prisma, LAST_TENANT_SYNC_KEY));
}

/** The last sync as its JobState value (LAST_TENANT_SYNC_KEY) keeps it; nothing when absent or unreadable. */
export function parseLastSync(raw: string | undefined): LastSync | undefined {
  if (raw === undefined) return undefined;
  let parsed: ReturnType<typeof lastSyncSchema.safeParse>;
  try {
    parsed = lastSyncSchema.safeParse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  return parsed.data.ok
    ? { ok: true, at: new Date(parsed.data.at), summary: parsed.data.summary }
    : { ok: false, at: new Date(parsed.data.at), error: parsed.data.error };
}

export type SyncRun =
  | { status: 'ran'; summary: SyncSummary /** Take-overs finished because the sync saw their subscription deleted. */; takeoversFinished: string[] }
  | { status: 'busy'; holder: string; until: Date };

/**
 * One sync, unless another is running (on this replica or another): then `busy`, with who holds
 * it and until when. A failure is recorded as the last sync's result and thrown. After a sync,
 * the take-overs waiting for the admin center whose subscription it saw deleted are finished.
 */
export async function runSyncExclusive(ctx: ServiceContext, deps: SyncDeps, options: { holder?: string; leaseMs?: number } = {}): Promise<SyncRun> {
  const attempt = await acquireLease(ctx.prisma, SYNC_LEASE_KEY, options.holder ?? randomUUID(), ctx.now, options.leaseMs ?? SYNC_LEASE_MS);
  if (!attempt.ok) return { status: 'busy', holder: attempt.holder, until: attempt.until };
  let summary: SyncSummary;
  try {
    summary = await syncTenant(ctx, deps);
    await writeJobState(ctx.prisma, LAST_TENANT_SYNC_KEY, JSON.stringify({ ok: true, at: ctx.now.toISOString(), summary }), ctx.now);
  } catch (error) {
    const reason = isAppError(error) ? error.userMessage : 'an unexpected error (see the bot’s log)';
    await writeJobState(ctx.prisma, LAST_TENANT_SYNC_KEY, JSON.stringify({ ok: false, at: ctx.now.toISOString(), error: reason }), ctx.now);
    throw error;
  } finally {
    await releaseLease(ctx.prisma, attempt.lease);
  }
  // Each finish is guarded by the request's status: no lease needed, and a failure here is not the sync's.
  const takeoversFinished = deps.takeoverNotices ? await finishTakeoversSeenDeleted(ctx, deps.takeoverNotices) : [];
  return { status: 'ran', summary, takeoversFinished };
}
