/** The daily digest as a scheduled job (and as `/purchases digest`, which calls `digestNow`). */
import type { Config } from '../config.js';
import { postDigest, type DigestResult } from '../services/post-digest.js';
import type { ServiceContext } from '../services/context.js';
import { digestMessages } from '../slack/blocks/digest.js';
import type { Job, JobDeps } from './job.js';

export const DIGEST_JOB = 'digest';

export type DigestJobResult = DigestResult | { status: 'no-channel' };

/** Posts the pending digest (see services/post-digest.ts for how it happens exactly once). */
export async function digestNow(
  ctx: ServiceContext,
  config: Pick<Config, 'ADMIN_CHANNEL_ID' | 'DIGEST_SKIP_EMPTY'>,
  options: { slot?: Date; skipEmpty?: boolean } = {},
): Promise<DigestJobResult> {
  if (!config.ADMIN_CHANNEL_ID) return { status: 'no-channel' };
  return postDigest(ctx, {
    channel: config.ADMIN_CHANNEL_ID,
    skipEmpty: options.skipEmpty ?? config.DIGEST_SKIP_EMPTY,
    render: (digest) => digestMessages(digest, ctx.now, ctx.timeZone),
    ...(options.slot ? { slot: options.slot } : {}),
  });
}

export function digestJob(config: Config): Job<JobDeps> {
  return {
    name: DIGEST_JOB,
    cron: config.DIGEST_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now, { slot }) {
      const result = await digestNow({ prisma: deps.prisma, now, timeZone: deps.config.BOT_TIMEZONE }, deps.config, { slot });
      if (result.status === 'posted') deps.kickOutbox();
      if (result.status === 'no-channel') deps.logger.warn('The digest is not posted: set ADMIN_CHANNEL_ID to the admins’ channel.');
      return result;
    },
  };
}
