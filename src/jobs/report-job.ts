/** The weekly report (services/post-report.ts) on REPORT_CRON. */
import type { Config } from '../config.js';
import { postReport } from '../services/post-report.js';
import type { Job, JobDeps } from './job.js';

export const REPORT_JOB = 'report';

export function reportJob(config: Config): Job<JobDeps> {
  return {
    name: REPORT_JOB,
    cron: config.REPORT_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now, { slot }) {
      const result = await postReport(
        { prisma: deps.prisma, now, timeZone: deps.config.BOT_TIMEZONE },
        {
          notices: deps.notices.report,
          adminChannelId: deps.config.ADMIN_CHANNEL_ID,
          centralPrices: deps.config.CENTRAL_PRICES,
          // The subscription tenant the jobs already get says whether Microsoft 365 pools seats.
          licensesPerProduct: deps.takeovers.tenant.licensesPerProduct,
        },
        { slot },
      );
      if (result.status === 'posted') deps.kickOutbox();
      if (result.status === 'no-channel') deps.logger.warn('The weekly report is not posted: set ADMIN_CHANNEL_ID to the admins’ channel.');
      return result;
    },
  };
}
