/** Reminders already sent: one row per subscription, threshold and expiry date (unique). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../client.js';

export interface ReminderKey {
  subscriptionId: string;
  thresholdDays: number;
  expiresAt: Date;
}

export function findRemindersSent(db: Db, subscriptionIds: string[]): Promise<ReminderKey[]> {
  return db.reminderSent.findMany({
    where: { subscriptionId: { in: subscriptionIds } },
    select: { subscriptionId: true, thresholdDays: true, expiresAt: true },
  });
}

/** Records reminders; one already recorded fails the insert with a unique violation (`isUniqueViolation`). */
export async function insertRemindersSent(db: Db, reminders: ReminderKey[], sentAt: Date): Promise<void> {
  await db.reminderSent.createMany({ data: reminders.map((r) => ({ id: randomUUID(), ...r, sentAt })) });
}
