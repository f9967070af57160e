/** Every scheduled job: adding one is one entry here. */
import type { Config } from '../config.js';
import { digestJob } from './digest-job.js';
import type { Job, JobDeps } from './job.js';
import { policyGuardJob } from './policy-guard-job.js';
import { takeoverResumeJob } from './takeover-resume-job.js';
import { reminderJob } from './reminder-job.js';
import { reportJob } from './report-job.js';
import { tenantSyncJob } from './tenant-sync-job.js';

export function scheduledJobs(config: Config): Array<Job<JobDeps>> {
  // With the local tenant the record is the tenant: there is nothing outside it to watch.
  return [
    digestJob(config),
    reminderJob(config),
    takeoverResumeJob(config),
    reportJob(config),
    ...(config.TENANT === 'microsoft' ? [policyGuardJob(config), tenantSyncJob(config)] : []),
  ];
}
