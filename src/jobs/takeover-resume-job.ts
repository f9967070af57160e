/** Every few minutes: finish take-overs that were approved but never finished (their process died). */
import type { Config } from '../config.js';
import { resumeStuckTakeovers } from '../services/takeover/decide.js';
import type { Job, JobDeps } from './job.js';

export const TAKEOVER_RESUME_JOB = 'takeover-resume';

export function takeoverResumeJob(config: Config): Job<JobDeps> {
  return {
    name: TAKEOVER_RESUME_JOB,
    cron: '*/5 * * * *',
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now) {
      const result = await resumeStuckTakeovers({ prisma: deps.prisma, now, timeZone: deps.config.BOT_TIMEZONE }, deps.takeovers);
      if (result.resumed.length > 0) {
        deps.logger.warn(`Finished ${result.resumed.length} take-over(s) left unfinished by a stopped process`);
        deps.kickOutbox();
      }
      return result;
    },
    changedNothing: (summary) => (summary as Awaited<ReturnType<typeof resumeStuckTakeovers>>).resumed.length === 0,
  };
}
