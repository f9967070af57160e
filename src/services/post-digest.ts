/**
 * The digest of new self-service purchases, exactly once.
 *
 * State (JobState):
 * - `digest.watermark`: every self-service subscription with firstSeenAt <= this instant has been
 *   in a digest that Slack accepted. Absent before the first digest.
 * - `digest.pending`: the window (from, to] whose messages are in the outbox but not yet known to
 *   be sent, with their dedupe keys. At most one window is in flight: the row's unique key is the
 *   lock, so a scheduled run and `/purchases digest` racing each other cannot both post.
 *
 * A run first settles the pending window by reading its messages in OutboxMessage:
 * - all `sent`: the watermark moves to the window's end and the pending row goes;
 * - any `failed` (Slack refused it for good): the pending row goes and the watermark stays, so the
 *   window is covered again by this run, under new keys (its end is a new instant);
 * - otherwise (Slack is down or rate-limiting): nothing new is posted; the outbox keeps trying
 *   and a later run settles it. Nothing is lost, and nothing is posted twice, because a window
 *   never changes its dedupe keys.
 * Then it selects the subscriptions first seen in (watermark, now], has the notices port word
 * them (split across messages within Slack's limits) and, in one transaction, enqueues the
 * messages and records the pending window. A crash before the commit leaves no trace; after
 * it, the outbox delivers.
 *
 * A scheduled run passes its slot: if the watermark or the window in flight already reaches the
 * slot, that slot was covered (a run taken over after its first holder died) and nothing is
 * posted again. The digest job and `/purchases digest` (and App Home's button) both post here.
 */
import { z } from 'zod';
import type { PrismaClient } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { deleteJobStateIf, insertJobState, readJobState, writeJobState } from '../db/repositories/job-state.js';
import { findOutboxStatuses } from '../db/repositories/outbox.js';
import { findSelfServiceFirstSeen } from '../db/repositories/subscriptions.js';
import { isActive, monthlySpend, type Spend } from '../domain/spend.js';
import { enqueueParts } from './channel-posts.js';
import type { ServiceContext } from './context.js';
import type { Message } from './messages.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const DIGEST_WATERMARK = 'digest.watermark';
export const DIGEST_PENDING = 'digest.pending';

const pendingSchema = z.object({
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime(),
  keys: z.array(z.string()).min(1),
});
type PendingWindow = z.infer<typeof pendingSchema>;

export interface DigestGroup {
  product: { id: string; name: string };
  items: SubscriptionSummary[];
}

export interface Digest {
  /** Exclusive start: the previous digest's end, or null before the first digest. */
  from: Date | null;
  /** Inclusive end. */
  to: Date;
  groups: DigestGroup[];
  /**
   * Every new purchase; licenses and spend of those still active (domain/spend.ts): `monthly`
   * adds up the known prices, `unknownPrices` says how many were left out.
   */
  totals: { count: number; active: number; licenses: number } & Spend;
}

/** What the digest tells the admins' channel: a port the Slack layer implements. */
export interface DigestNotices {
  /** The digest as one or more messages (a long one is split within Slack's limits). */
  messages(digest: Digest, now: Date, timeZone: string): Message[];
}

export interface DigestDeps {
  notices: DigestNotices;
  /** ADMIN_CHANNEL_ID: where digests go; without it none is posted. */
  adminChannelId: string | undefined;
}

export type DigestResult =
  | { status: 'posted'; from: Date | null; to: Date; count: number; messages: number }
  | { status: 'empty'; from: Date | null; to: Date }
  | { status: 'waiting'; from: Date | null; to: Date; messages: number }
  | { status: 'covered'; watermark: Date }
  | { status: 'busy' }
  | { status: 'no-channel' };

export type SettleOutcome = 'none' | 'sent' | 'failed' | 'waiting';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Moves the watermark if the window in flight has been sent; drops it if Slack refused it. */
export async function settleDigest(prisma: PrismaClient, now: Date): Promise<{ outcome: SettleOutcome; pending?: PendingWindow }> {
  const raw = await readJobState(prisma, DIGEST_PENDING);
  if (raw === undefined) return { outcome: 'none' };
  const parsed = pendingSchema.safeParse(parseJson(raw));
  if (!parsed.success) {
    // Unreadable (written by another version?): drop it, the watermark stays and the window is covered again.
    await deleteJobStateIf(prisma, DIGEST_PENDING, raw);
    return { outcome: 'failed' };
  }
  const pending = parsed.data;
  const messages = await findOutboxStatuses(prisma, pending.keys);
  if (messages.length === pending.keys.length && messages.every((m) => m.status === 'sent')) {
    await prisma.$transaction(async (tx) => {
      if (await deleteJobStateIf(tx, DIGEST_PENDING, raw)) await writeJobState(tx, DIGEST_WATERMARK, pending.to, now);
    });
    return { outcome: 'sent', pending };
  }
  if (messages.length < pending.keys.length || messages.some((m) => m.status === 'failed')) {
    await deleteJobStateIf(prisma, DIGEST_PENDING, raw);
    return { outcome: 'failed', pending };
  }
  return { outcome: 'waiting', pending };
}

/** The watermark after settling: when the last digest that Slack accepted ended. */
export async function digestWatermark(prisma: PrismaClient, now: Date): Promise<Date | null> {
  await settleDigest(prisma, now);
  const value = await readJobState(prisma, DIGEST_WATERMARK);
  return value ? new Date(value) : null;
}

/** Self-service subscriptions first seen in (from, to], grouped by product name. */
export async function selectDigest(prisma: PrismaClient, from: Date | null, to: Date): Promise<Digest> {
  const rows = await findSelfServiceFirstSeen(prisma, from, to);
  const items = rows.map(toSummary);
  const groups: DigestGroup[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last.product.id === item.product.id) last.items.push(item);
    else groups.push({ product: item.product, items: [item] });
  }
  const active = items.filter(isActive);
  return {
    from,
    to,
    groups,
    totals: {
      count: items.length,
      active: active.length,
      licenses: active.reduce((sum, item) => sum + item.licensesPurchased, 0),
      ...monthlySpend(items),
    },
  };
}

export function digestKeys(from: Date | null, to: Date, parts: number): string[] {
  return Array.from({ length: parts }, (_, i) => `digest:${from?.toISOString() ?? 'start'}:${to.toISOString()}:${i + 1}/${parts}`);
}

/** Posts the pending digest to the admins' channel, exactly once (see above). */
export async function postDigest(
  ctx: ServiceContext,
  deps: DigestDeps,
  options: {
    /** Post nothing when nothing is new (DIGEST_SKIP_EMPTY; always for an admin asking). */
    skipEmpty: boolean;
    /** The scheduled slot of this run, if it is one. */
    slot?: Date;
    /** The admin who asked for it (told if Slack refuses it); none for a scheduled run. */
    requestedBy?: string;
  },
): Promise<DigestResult> {
  const channel = deps.adminChannelId;
  if (!channel) return { status: 'no-channel' };
  const settled = await settleDigest(ctx.prisma, ctx.now);
  if (settled.outcome === 'waiting') {
    const pending = settled.pending!;
    if (options.slot && new Date(pending.to) >= options.slot) return { status: 'covered', watermark: new Date(pending.to) };
    return { status: 'waiting', from: pending.from ? new Date(pending.from) : null, to: new Date(pending.to), messages: pending.keys.length };
  }
  const watermarkValue = await readJobState(ctx.prisma, DIGEST_WATERMARK);
  const from = watermarkValue ? new Date(watermarkValue) : null;
  if (options.slot && from && from >= options.slot) return { status: 'covered', watermark: from };
  const to = ctx.now;
  const digest = await selectDigest(ctx.prisma, from, to);
  if (digest.totals.count === 0 && options.skipEmpty) return { status: 'empty', from, to };
  const messages = deps.notices.messages(digest, ctx.now, ctx.timeZone);
  const keys = digestKeys(from, to, messages.length);
  const pending: PendingWindow = { from: from?.toISOString() ?? null, to: to.toISOString(), keys };
  try {
    await ctx.prisma.$transaction(async (tx) => {
      // The pending row is the lock: a second window racing this one fails on its unique key
      // and rolls back with its messages.
      await insertJobState(tx, DIGEST_PENDING, JSON.stringify(pending), ctx.now);
      await enqueueParts(
        tx,
        channel,
        messages.map((message, i) => ({ key: keys[i]!, message })),
        ctx.now,
        options.requestedBy,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'busy' };
    throw error;
  }
  return { status: 'posted', from, to, count: digest.totals.count, messages: messages.length };
}
