/** JobState: small durable values of the scheduled jobs (watermarks, pending windows, times). */
import type { Db } from '../client.js';
import { insertedFirst } from '../errors.js';

export async function readJobState(prisma: Db, key: string): Promise<string | undefined> {
  const row = await prisma.jobState.findUnique({ where: { key } });
  return row?.value;
}

export async function writeJobState(prisma: Db, key: string, value: string, now: Date): Promise<void> {
  await prisma.jobState.upsert({ where: { key }, create: { key, value, updatedAt: now }, update: { value, updatedAt: now } });
}

/** Inserts the key only if it is absent; returns whether this call created it (the unique key decides races). */
export async function createJobStateIfAbsent(prisma: Db, key: string, value: string, now: Date): Promise<boolean> {
  const existing = await prisma.jobState.findUnique({ where: { key }, select: { key: true } });
  if (existing) return false;
  return insertedFirst(() => prisma.jobState.create({ data: { key, value, updatedAt: now } }));
}

/** Deletes the key only while it still holds `value`; returns whether it did. */
export async function deleteJobStateIf(prisma: Db, key: string, value: string): Promise<boolean> {
  const { count } = await prisma.jobState.deleteMany({ where: { key, value } });
  return count === 1;
}

/** Inserts the key; a row already there fails with a unique violation (`isUniqueViolation`). */
export async function insertJobState(prisma: Db, key: string, value: string, now: Date): Promise<void> {
  await prisma.jobState.create({ data: { key, value, updatedAt: now } });
}
