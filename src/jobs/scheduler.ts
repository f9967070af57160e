/**
 * The scheduler: node-cron decides WHEN to look, the database decides WHO runs.
 *
 * - Each job's slots come from its cron expression in its time zone (slots.ts). When node-cron
 *   fires, or when the sweep looks (at start-up, then every minute at second 30), a job whose
 *   latest slot has no finished run claims (job, slot) in JobRun. The unique key lets exactly one
 *   replica win; the winner runs the job and marks the run done (or failed).
 * - A claim is a lease (LEASE_MS). A holder that died leaves it `running` past its lease, and a
 *   failed run keeps its lease end: the next sweep of any replica takes it over and runs the slot,
 *   once. Jobs are written so that such a second attempt never repeats what the first one did
 *   (the digest's pending window, the reminders' unique rows).
 * - Catch-up: a slot missed while every replica was down is the latest slot at start-up, so it
 *   runs once then; several missed slots collapse into that one run. Slots before the job was
 *   first scheduled on this database (JobState `job.<name>.since`) are not caught up, so a new
 *   install does not fire everything at once.
 * Runs within one process never overlap: the claim's lease stops a second start of the same slot.
 */
import { randomUUID } from 'node:crypto';
import { schedule, type ScheduledTask } from 'node-cron';
import type { PrismaClient } from '../db/client.js';
import { claimJobRun, finishJobRun } from '../db/repositories/job-runs.js';
import { createJobStateIfAbsent, readJobState } from '../db/repositories/job-state.js';
import type { Job, JobLogger } from './job.js';
import { latestSlot } from './slots.js';

export const LEASE_MS = 10 * 60_000;
const SWEEP_CRON = '30 * * * * *';

export type RunReport =
  | { job: string; outcome: 'ran'; slot: Date; summary: unknown }
  | { job: string; outcome: 'failed'; slot: Date; error: string }
  | { job: string; outcome: 'skipped'; reason: 'no-slot' | 'before-first-start' | 'claimed' };

export interface SchedulerOptions<D> {
  prisma: PrismaClient;
  deps: D;
  jobs: Array<Job<D>>;
  clock: () => Date;
  logger: JobLogger;
  /** Who claims: unique per process (default a random id). */
  holder?: string;
  leaseMs?: number;
  /** Called after each run that this process made (e.g. to refresh App Home). */
  afterRun?: (report: RunReport) => Promise<void> | void;
}

export interface Scheduler {
  /** Looks at every job now: what the sweep does. */
  sweep(): Promise<RunReport[]>;
  /**
   * Schedules nothing more and waits up to `graceMs` for runs in flight; a run still going then
   * keeps its claim's lease, and another sweep (here after a restart, or on another replica)
   * takes the slot over when it expires.
   */
  stop(graceMs?: number): Promise<void>;
}

const sinceKey = (job: string) => `job.${job}.since`;

/** Runs `job` for its latest slot if that slot is due and this caller wins the claim. */
export async function runIfDue<D>(options: SchedulerOptions<D> & { holder: string }, job: Job<D>, now: Date): Promise<RunReport> {
  const { prisma } = options;
  const slot = latestSlot(job, now);
  await createJobStateIfAbsent(prisma, sinceKey(job.name), now.toISOString(), now);
  if (!slot) return { job: job.name, outcome: 'skipped', reason: 'no-slot' };
  const since = new Date((await readJobState(prisma, sinceKey(job.name)))!);
  if (slot < since) return { job: job.name, outcome: 'skipped', reason: 'before-first-start' };
  const claim = await claimJobRun(prisma, { job: job.name, slot, holder: options.holder, now, leaseMs: options.leaseMs ?? LEASE_MS });
  if (!claim) return { job: job.name, outcome: 'skipped', reason: 'claimed' };
  try {
    const summary = await job.run(options.deps, now, { slot });
    await finishJobRun(prisma, claim, { status: 'done', summary: JSON.stringify(summary ?? null), now: options.clock(), holder: options.holder });
    // A run that found nothing to do (the take-over resume every five minutes, mostly) is routine.
    const log = job.changedNothing?.(summary) ? options.logger.debug : options.logger.info;
    log.call(options.logger, `Job ${job.name} ran for ${slot.toISOString()}: ${JSON.stringify(summary ?? null)}`);
    return { job: job.name, outcome: 'ran', slot, summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.logger.error(`Job ${job.name} failed for ${slot.toISOString()}; another sweep retries it after its lease`, error);
    await finishJobRun(prisma, claim, { status: 'failed', summary: JSON.stringify({ error: message }), now: options.clock(), holder: options.holder });
    return { job: job.name, outcome: 'failed', slot, error: message };
  }
}

export async function sweepJobs<D>(options: SchedulerOptions<D> & { holder: string }): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (const job of options.jobs) {
    const report = await runIfDue(options, job, options.clock());
    reports.push(report);
    if (report.outcome === 'skipped' || (report.outcome === 'ran' && job.changedNothing?.(report.summary))) continue;
    await options.afterRun?.(report);
  }
  return reports;
}

/** Catches up what was missed, then lets node-cron wake it at every slot and every minute. */
export async function startScheduler<D>(options: SchedulerOptions<D>): Promise<Scheduler> {
  const resolved = { ...options, holder: options.holder ?? randomUUID() };
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();
  const guarded = (work: () => Promise<unknown>) => () => {
    if (stopped) return;
    const running = work().catch((error) => options.logger.error('Scheduled work failed', error));
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  };
  const afterRun = async (report: RunReport) => {
    try {
      await options.afterRun?.(report);
    } catch (error) {
      options.logger.error('After-run hook failed', error);
    }
  };
  const tasks: ScheduledTask[] = [];
  try {
    await sweepJobs({ ...resolved, afterRun });
    for (const job of options.jobs) {
      tasks.push(
        schedule(
          job.cron,
          guarded(async () => {
            const report = await runIfDue(resolved, job, options.clock());
            if (report.outcome !== 'skipped') await afterRun(report);
          }),
          { name: `job:${job.name}`, timezone: job.timeZone },
        ),
      );
    }
    tasks.push(
      schedule(
        SWEEP_CRON,
        guarded(() => sweepJobs({ ...resolved, afterRun })),
        { name: 'jobs:sweep' },
      ),
    );
  } catch (error) {
    for (const task of tasks) await task.destroy();
    throw error;
  }
  return {
    sweep: () => sweepJobs({ ...resolved, afterRun }),
    async stop(graceMs = 5_000) {
      stopped = true;
      for (const task of tasks) await task.destroy();
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (deadline = setTimeout(resolve, graceMs)))]);
      clearTimeout(deadline);
    },
  };
}
