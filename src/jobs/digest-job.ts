/** The digest of new purchases (services/post-digest.ts) on DIGEST_CRON. */
import type { Config } from '../config.js';
import { postDigest } from '../services/post-digest.js';
import type { Job, JobDeps } from './job.js';

export const DIGEST_JOB = 'digest';

export function digestJob(config: Config): Job<JobDeps> {
  return {
    name: DIGEST_JOB,
    cron: config.DIGEST_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now, { slot }) {
      const result = await postDigest(
        { prisma: deps.prisma, now, timeZone: deps.config.BOT_TIMEZONE },
        { notices: deps.notices.digest, adminChannelId: deps.config.ADMIN_CHANNEL_ID },
        { skipEmpty: deps.config.DIGEST_SKIP_EMPTY, slot },
      );
      if (result.status === 'posted') deps.kickOutbox();
      if (result.status === 'no-channel') deps.logger.warn('The digest is not posted: set ADMIN_CHANNEL_ID to the admins’ channel.');
      return result;
    },
  };
}
