/**
 * The tenant sync (services/sync-tenant.ts) on TENANT_SYNC_CRON, claimed once per slot like every
 * scheduled job; inside its slot it also takes the sync's lease, so it never overlaps a sync asked
 * for in Slack or the one at start-up (then it reports `busy` and leaves the slot done).
 */
import type { Config } from '../config.js';
import { runSyncExclusive, syncChangedNothing, TENANT_SYNC_ACTOR, type SyncRun } from '../services/sync-tenant.js';
import type { Job, JobDeps } from './job.js';

export const TENANT_SYNC_JOB = 'tenant-sync';

export function tenantSyncJob(config: Config): Job<JobDeps> {
  return {
    name: TENANT_SYNC_JOB,
    cron: config.TENANT_SYNC_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now): Promise<SyncRun | { status: 'off' }> {
      if (!deps.tenantSync) return { status: 'off' };
      const run = await runSyncExclusive(
        { prisma: deps.prisma, now, timeZone: deps.config.BOT_TIMEZONE },
        { ...deps.tenantSync, actor: { slackUserId: TENANT_SYNC_ACTOR } },
      );
      if (run.status === 'ran' && run.takeoversFinished.length > 0) deps.kickOutbox();
      return run;
    },
    changedNothing: (summary) => {
      const run = summary as SyncRun | { status: 'off' };
      return run.status !== 'ran' || (syncChangedNothing(run.summary) && run.takeoversFinished.length === 0);
    },
  };
}
