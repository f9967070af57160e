/**
 * Leases: "one at a time, across replicas" for work that is not a scheduled slot (a sync asked
 * for in Slack, the one at start-up). A lease is a JobState row whose unique key decides races;
 * its value names the holder and the instant it expires, so a holder that died blocks nobody
 * for longer than the lease.
 */
import { z } from 'zod';
import type { Db } from '../client.js';
import { createJobStateIfAbsent, deleteJobStateIf, readJobState } from './job-state.js';

const leaseSchema = z.object({ holder: z.string(), until: z.iso.datetime() });

export type Lease = { key: string; value: string; holder: string; until: Date };
export type LeaseAttempt = { ok: true; lease: Lease } | { ok: false; holder: string; until: Date };

function parseLease(value: string): z.infer<typeof leaseSchema> | undefined {
  try {
    return leaseSchema.parse(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** Takes the lease unless someone holds it unexpired; an expired (or unreadable) one is taken over. */
export async function acquireLease(db: Db, key: string, holder: string, now: Date, ttlMs: number): Promise<LeaseAttempt> {
  const until = new Date(now.getTime() + ttlMs);
  const value = JSON.stringify({ holder, until: until.toISOString() });
  const lease: Lease = { key, value, holder, until };
  if (await createJobStateIfAbsent(db, key, value, now)) return { ok: true, lease };
  const current = await readJobState(db, key);
  if (current !== undefined) {
    const held = parseLease(current);
    if (held && new Date(held.until) > now) return { ok: false, holder: held.holder, until: new Date(held.until) };
    // Expired: only the caller whose conditional delete succeeds may insert next.
    if (!(await deleteJobStateIf(db, key, current))) return lostRace(db, key);
  }
  if (await createJobStateIfAbsent(db, key, value, now)) return { ok: true, lease };
  return lostRace(db, key);
}

async function lostRace(db: Db, key: string): Promise<LeaseAttempt> {
  const held = parseLease((await readJobState(db, key)) ?? '');
  return { ok: false, holder: held?.holder ?? 'another run', until: held ? new Date(held.until) : new Date(0) };
}

/** Gives the lease back, only if it is still this one. */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await deleteJobStateIf(db, lease.key, lease.value);
}
