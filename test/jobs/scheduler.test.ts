import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/jobs/job.js';
import { LEASE_MS, runIfDue, startScheduler, sweepJobs, type SchedulerOptions } from '../../src/jobs/scheduler.js';
import { dialectProviders, onSqliteOnly, useTestDatabase } from '../support/database.js';
import { at, quietLogger } from './support.js';
import { recordingLogger } from '../support/bot.js';

interface Recorded {
  runs: Array<{ holder: string; now: string; slot: string }>;
}

describe.each(dialectProviders)('the scheduler on %s', (provider) => {
  const database = useTestDatabase(provider);
  const anyDialect = onSqliteOnly(provider);
  let now: Date;
  const recorded: Recorded = { runs: [] };

  beforeEach(() => {
    recorded.runs = [];
  });

  function job(behaviour: (deps: { holder: string }) => Promise<unknown> = async () => 'ok'): Job<{ holder: string }> {
    return {
      name: 'digest',
      cron: '0 9 * * 1-5',
      timeZone: 'Europe/Berlin',
      async run(deps, runNow, { slot }) {
        recorded.runs.push({ holder: deps.holder, now: runNow.toISOString(), slot: slot.toISOString() });
        return behaviour(deps);
      },
    };
  }

  function replica(holder: string, theJob = job()): SchedulerOptions<{ holder: string }> & { holder: string } {
    return { prisma: database.prisma, deps: { holder }, jobs: [theJob], clock: () => now, logger: quietLogger, holder };
  }

  it('does not run slots from before the job was first scheduled, then runs each slot once', async () => {
    now = at('2026-11-25T10:00:00Z');
    expect(await sweepJobs(replica('a'))).toEqual([{ job: 'digest', outcome: 'skipped', reason: 'before-first-start' }]);
    now = at('2026-11-26T08:00:00Z'); // 09:00 in Berlin
    expect(await sweepJobs(replica('a'))).toMatchObject([{ outcome: 'ran', slot: at('2026-11-26T08:00:00Z') }]);
    now = at('2026-11-26T08:00:30Z');
    expect(await sweepJobs(replica('a'))).toEqual([{ job: 'digest', outcome: 'skipped', reason: 'claimed' }]);
    expect(recorded.runs).toEqual([{ holder: 'a', now: '2026-11-26T08:00:00.000Z', slot: '2026-11-26T08:00:00.000Z' }]);
  });

  /** Two jobs whose runs say whether they changed something: `quiet` never does, `busy` always. */
  function quietAndBusy() {
    const changedNothing = (summary: unknown) => (summary as { changed: number }).changed === 0;
    return [
      { ...job(async () => ({ changed: 0 })), name: 'quiet', changedNothing },
      { ...job(async () => ({ changed: 2 })), name: 'busy', changedNothing },
    ];
  }

  anyDialect('logs a run that found nothing to do only at debug level, and one that did something at info', async () => {
    const logger = recordingLogger();
    const options = { ...replica('a'), jobs: quietAndBusy(), logger };
    now = at('2026-11-25T10:00:00Z');
    await sweepJobs(options);
    now = at('2026-11-26T08:00:00Z');
    await sweepJobs(options);
    expect(logger.lines.filter((line) => line.startsWith('info '))).toEqual([expect.stringContaining('Job busy ran')]);
    expect(logger.lines.filter((line) => line.startsWith('debug '))).toEqual([expect.stringContaining('Job quiet ran')]);
  });

  it('calls the after-run hook for a run that changed something, and skips it for one that says it changed nothing', async () => {
    const hooked: string[] = [];
    const afterRun = (report: { job: string }) => void hooked.push(report.job);
    const options = { ...replica('a'), jobs: quietAndBusy(), afterRun };
    now = at('2026-11-25T10:00:00Z');
    await sweepJobs(options);
    now = at('2026-11-26T08:00:00Z');
    expect((await sweepJobs(options)).map((r) => r.outcome)).toEqual(['ran', 'ran']);
    expect(hooked).toEqual(['busy']);
  });

  it('runs a slot on one of two replicas racing for it', async () => {
    now = at('2026-11-25T10:00:00Z');
    await sweepJobs(replica('a'));
    now = at('2026-11-26T08:00:00Z');
    const reports = await Promise.all([sweepJobs(replica('a')), sweepJobs(replica('b')), sweepJobs(replica('c'))]);
    expect(reports.flat().filter((r) => r.outcome === 'ran')).toHaveLength(1);
    expect(recorded.runs).toHaveLength(1);
    expect(await database.prisma.jobRun.findMany({ select: { status: true } })).toEqual([{ status: 'done' }]);
  });

  it('catches up a slot missed while the bot was down, once, however many slots were missed', async () => {
    now = at('2026-11-20T10:00:00Z');
    await sweepJobs(replica('a'));
    now = at('2026-11-25T13:37:00Z'); // down from Friday to Wednesday afternoon
    const scheduler = await startScheduler(replica('b'));
    await scheduler.stop();
    expect(recorded.runs).toEqual([{ holder: 'b', now: '2026-11-25T13:37:00.000Z', slot: '2026-11-25T08:00:00.000Z' }]);
    const again = await startScheduler(replica('c'));
    await again.stop();
    expect(recorded.runs).toHaveLength(1);
  });

  it('lets another replica take over a claim whose holder died, after its lease', async () => {
    now = at('2026-11-25T10:00:00Z');
    await sweepJobs(replica('a'));
    now = at('2026-11-26T08:00:00Z');
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const dying = job(() => {
      started();
      return new Promise((resolve) => (release = () => resolve('too late')));
    });
    const hanging = runIfDue(replica('a'), dying, now);
    await running;
    now = new Date(at('2026-11-26T08:00:00Z').getTime() + LEASE_MS - 1);
    expect(await runIfDue(replica('b'), job(), now)).toMatchObject({ outcome: 'skipped', reason: 'claimed' });
    now = new Date(at('2026-11-26T08:00:00Z').getTime() + LEASE_MS + 1);
    expect(await runIfDue(replica('b'), job(), now)).toMatchObject({ outcome: 'ran', slot: at('2026-11-26T08:00:00Z') });
    release();
    await hanging;
    const run = await database.prisma.jobRun.findFirstOrThrow();
    expect(run).toMatchObject({ claimedBy: 'b', status: 'done' });
  });

  it('records a failed run and retries it after the lease, until it succeeds', async () => {
    now = at('2026-11-25T10:00:00Z');
    await sweepJobs(replica('a'));
    now = at('2026-11-26T08:00:00Z');
    let fail = true;
    const flaky = job(async () => {
      if (fail) throw new Error('database went away');
      return 'ok';
    });
    expect(await runIfDue(replica('a'), flaky, now)).toMatchObject({ outcome: 'failed', error: 'database went away' });
    fail = false;
    expect(await runIfDue(replica('a'), flaky, at('2026-11-26T08:05:00Z'))).toMatchObject({ outcome: 'skipped' });
    expect(await runIfDue(replica('a'), flaky, at('2026-11-26T08:10:01Z'))).toMatchObject({ outcome: 'ran' });
  });
});
