/** Every scheduled job: adding one is one entry here. */
import type { Config } from '../config.js';
import { digestJob } from './digest.js';
import type { Job, JobDeps } from './job.js';
import { reminderJob } from './reminders.js';

export function scheduledJobs(config: Config): Array<Job<JobDeps>> {
  return [digestJob(config), reminderJob(config)];
}
