/** Reminders already sent: one row per subscription, threshold and expiry date (unique). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../client.js';

export interface ReminderKey {
  subscriptionId: string;
  thresholdDays: number;
  expiresAt: Date;
}

/**
 * Reminders sent for expiry dates in [from, to): those of every subscription expiring in that
 * window (the expiry date is part of the key), found by date rather than by a list of ids.
 */
export function findRemindersSentExpiring(db: Db, from: Date, to: Date): Promise<ReminderKey[]> {
  return db.reminderSent.findMany({
    where: { expiresAt: { gte: from, lt: to } },
    select: { subscriptionId: true, thresholdDays: true, expiresAt: true },
  });
}

/** Records reminders; one already recorded fails the insert with a unique violation (`isUniqueViolation`). */
export async function insertRemindersSent(db: Db, reminders: ReminderKey[], sentAt: Date): Promise<void> {
  await db.reminderSent.createMany({ data: reminders.map((r) => ({ id: randomUUID(), ...r, sentAt })) });
}
