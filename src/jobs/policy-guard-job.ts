/** The policy guard (services/policy-guard.ts) on POLICY_SYNC_CRON, claimed once per slot like every scheduled job. */
import type { Config } from '../config.js';
import { policyGuardDeps, runPolicyGuard } from '../services/policy-guard.js';
import type { Job, JobDeps } from './job.js';

export const POLICY_GUARD_JOB = 'policy-guard';

export function policyGuardJob(config: Config): Job<JobDeps> {
  return {
    name: POLICY_GUARD_JOB,
    cron: config.POLICY_SYNC_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now) {
      const summary = await runPolicyGuard(policyGuardDeps(config, deps.prisma, deps.policyTenant, deps.notices.policyGuard), now);
      deps.kickOutbox();
      return summary;
    },
  };
}
