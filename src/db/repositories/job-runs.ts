/**
 * JobRun claims: (job, slot) is unique, so of several replicas reaching the same scheduled slot
 * exactly one inserts the row and runs it. A claim is a lease: if its holder dies (the row stays
 * `running` past `leaseUntil`) or the run failed, another scheduler may take it over with a
 * conditional update, which again only one can win.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../client.js';
import { insertedFirst } from '../errors.js';

export interface Claim {
  id: string;
  job: string;
  slot: Date;
}

export async function claimJobRun(prisma: Db, run: { job: string; slot: Date; holder: string; now: Date; leaseMs: number }): Promise<Claim | undefined> {
  const leaseUntil = new Date(run.now.getTime() + run.leaseMs);
  const existing = await prisma.jobRun.findUnique({ where: { job_slot: { job: run.job, slot: run.slot } } });
  if (!existing) {
    const id = randomUUID();
    const claimed = await insertedFirst(() =>
      prisma.jobRun.create({
        data: { id, job: run.job, slot: run.slot, claimedBy: run.holder, claimedAt: run.now, leaseUntil, status: 'running' },
      }),
    );
    return claimed ? { id, job: run.job, slot: run.slot } : undefined;
  }
  if (existing.status === 'done' || existing.leaseUntil > run.now) return undefined;
  // Expired or failed: take it over, conditional on the row being as we read it.
  const { count } = await prisma.jobRun.updateMany({
    where: { id: existing.id, status: existing.status, claimedBy: existing.claimedBy, leaseUntil: existing.leaseUntil },
    data: { claimedBy: run.holder, claimedAt: run.now, leaseUntil, status: 'running', finishedAt: null },
  });
  return count === 1 ? { id: existing.id, job: run.job, slot: run.slot } : undefined;
}

export async function finishJobRun(prisma: Db, claim: Claim, result: { status: 'done' | 'failed'; summary: string; now: Date; holder: string }): Promise<void> {
  await prisma.jobRun.updateMany({
    where: { id: claim.id, claimedBy: result.holder },
    data: { status: result.status, summary: result.summary.slice(0, 4000), finishedAt: result.now },
  });
}
