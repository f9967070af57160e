/**
 * Expiration reminders, one per subscription, threshold and expiry date.
 *
 * "Days before expiry" are calendar days in the bot's time zone (0 = expires today). With
 * thresholds 30, 7 and 1, a subscription is due for the smallest threshold it has reached: one
 * expiring in 5 days gets the 7-day reminder only, never the 30-day one as well, and never the
 * 30-day one later (the days only go down). Today and tomorrow fall under the 1-day threshold.
 * Expired (days < 0) and Deleted subscriptions, and those with no renewal date, are never
 * reminded; central subscriptions are not either (reminders offer to take over, which only self-service purchases allow).
 *
 * Exactly once: the ReminderSent rows (unique subscription + threshold + expiresAt) and the
 * outbox messages are written in one transaction. A crash loses both or neither; a second run
 * (or a racing replica) finds the rows and leaves those subscriptions out, or fails on the
 * unique key and rolls back. A renewal moves expiresAt, so the subscription is eligible again.
 */
import { addDays } from 'date-fns';
import { isUniqueViolation } from '../db/errors.js';
import { findRemindersSentExpiring, insertRemindersSent } from '../db/repositories/reminders-sent.js';
import { findActiveSelfServiceExpiring } from '../db/repositories/subscriptions.js';
import { daysUntilCounter } from '../domain/dates.js';
import { enqueueParts } from './channel-posts.js';
import type { ServiceContext } from './context.js';
import type { Message } from './messages.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

export interface ReminderGroup {
  thresholdDays: number;
  items: Array<SubscriptionSummary & { expiresAt: Date; daysLeft: number }>;
}

/** What reminders tell the admins' channel: a port the Slack layer implements. */
export interface ReminderNotices {
  /** One threshold's reminder as one or more messages (split within Slack's limits). */
  messages(group: ReminderGroup, now: Date, timeZone: string): Message[];
}

export interface ReminderResult {
  /** Per threshold that had something due: how many subscriptions were reminded. */
  reminded: Array<{ thresholdDays: number; count: number }>;
  /** True when another run recorded the same reminders first (nothing was posted by this one). */
  raced: boolean;
}

/** The smallest configured threshold that `days` has reached, if any. */
export function dueThreshold(days: number, thresholds: number[]): number | undefined {
  if (days < 0) return undefined;
  return [...thresholds].sort((a, b) => a - b).find((t) => days <= t);
}

/** Active self-service subscriptions due a reminder now, grouped by threshold, not yet reminded. */
export async function selectDueReminders(ctx: ServiceContext, thresholds: number[]): Promise<ReminderGroup[]> {
  if (thresholds.length === 0) return [];
  const longest = Math.max(...thresholds);
  // A generous instant window (a day either side covers any zone offset); the calendar-day rule
  // below decides.
  const [from, to] = [addDays(ctx.now, -1), addDays(ctx.now, longest + 2)];
  const rows = await findActiveSelfServiceExpiring(ctx.prisma, from, to);
  const daysUntil = daysUntilCounter(ctx.now, ctx.timeZone);
  // Without a renewal date there is nothing to remind of (the query cannot return one, the type can).
  const due = rows
    .flatMap((row) => (row.expiresAt ? [{ row, expiresAt: row.expiresAt }] : []))
    .map(({ row, expiresAt }) => ({ row, expiresAt, daysLeft: daysUntil(expiresAt) }))
    .map(({ row, expiresAt, daysLeft }) => ({ row, expiresAt, daysLeft, threshold: dueThreshold(daysLeft, thresholds) }))
    .filter((entry): entry is typeof entry & { threshold: number } => entry.threshold !== undefined);
  if (due.length === 0) return [];
  const sent = await findRemindersSentExpiring(ctx.prisma, from, to);
  const sentKeys = new Set(sent.map((s) => `${s.subscriptionId}|${s.thresholdDays}|${s.expiresAt.getTime()}`));
  const groups = new Map<number, ReminderGroup>();
  for (const { row, expiresAt, daysLeft, threshold } of due) {
    if (sentKeys.has(`${row.id}|${threshold}|${expiresAt.getTime()}`)) continue;
    const group = groups.get(threshold) ?? { thresholdDays: threshold, items: [] };
    group.items.push({ ...toSummary(row), expiresAt, daysLeft });
    groups.set(threshold, group);
  }
  return [...groups.values()].sort((a, b) => a.thresholdDays - b.thresholdDays);
}

export function reminderKeys(thresholdDays: number, now: Date, parts: number): string[] {
  return Array.from({ length: parts }, (_, i) => `reminder:${thresholdDays}d:${now.toISOString()}:${i + 1}/${parts}`);
}

export async function sendReminders(
  ctx: ServiceContext,
  options: { channel: string; thresholds: number[]; notices: ReminderNotices },
): Promise<ReminderResult> {
  const groups = await selectDueReminders(ctx, options.thresholds);
  if (groups.length === 0) return { reminded: [], raced: false };
  // Every part of every threshold in one go, so the outbox posts them in threshold order.
  const parts = groups.flatMap((group) => {
    const messages = options.notices.messages(group, ctx.now, ctx.timeZone);
    const keys = reminderKeys(group.thresholdDays, ctx.now, messages.length);
    return messages.map((message, i) => ({ key: keys[i]!, message }));
  });
  try {
    await ctx.prisma.$transaction(async (tx) => {
      // Insert first: a racing run fails here on the unique key and rolls back whole.
      await insertRemindersSent(
        tx,
        groups.flatMap((group) => group.items.map((item) => ({ subscriptionId: item.id, thresholdDays: group.thresholdDays, expiresAt: item.expiresAt }))),
        ctx.now,
      );
      await enqueueParts(tx, options.channel, parts, ctx.now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { reminded: [], raced: true };
    throw error;
  }
  return { reminded: groups.map((g) => ({ thresholdDays: g.thresholdDays, count: g.items.length })), raced: false };
}
