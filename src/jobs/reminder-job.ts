/** Expiration reminders (services/send-reminders.ts) on REMINDER_CRON. */
import type { Config } from '../config.js';
import { sendReminders, type ReminderResult } from '../services/send-reminders.js';
import type { Job, JobDeps } from './job.js';

export const REMINDER_JOB = 'reminders';

export function reminderJob(config: Config): Job<JobDeps> {
  return {
    name: REMINDER_JOB,
    cron: config.REMINDER_CRON,
    timeZone: config.BOT_TIMEZONE,
    async run(deps, now): Promise<ReminderResult | { status: 'no-channel' }> {
      const channel = deps.config.ADMIN_CHANNEL_ID;
      if (!channel) {
        deps.logger.warn('Expiration reminders are not posted: set ADMIN_CHANNEL_ID to the admins’ channel.');
        return { status: 'no-channel' };
      }
      const timeZone = deps.config.BOT_TIMEZONE;
      const result = await sendReminders(
        { prisma: deps.prisma, now, timeZone },
        { channel, thresholds: deps.config.REMINDER_DAYS, notices: deps.notices.reminders },
      );
      if (result.reminded.length > 0) deps.kickOutbox();
      return result;
    },
  };
}
