import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret-value',
  ADMIN_USER_IDS: 'U0ADMIN0001',
};

describe('the scheduled jobs’ configuration', () => {
  it('defaults to weekday digests and daily reminders at 09:00, 30, 7 and 1 days before expiry', () => {
    const result = loadConfig(valid);
    expect(result.ok && result.config).toMatchObject({
      DIGEST_CRON: '0 9 * * 1-5',
      REMINDER_CRON: '0 9 * * *',
      REMINDER_DAYS: [30, 7, 1],
      DIGEST_SKIP_EMPTY: false,
    });
  });

  it('reads reminder days in any order, once each', () => {
    const result = loadConfig({ ...valid, REMINDER_DAYS: ' 1, 14,7,14 ', DIGEST_SKIP_EMPTY: 'true', DIGEST_CRON: '30 8 * * 1' });
    expect(result.ok && result.config).toMatchObject({ REMINDER_DAYS: [14, 7, 1], DIGEST_SKIP_EMPTY: true, DIGEST_CRON: '30 8 * * 1' });
  });

  it('stops start-up naming each bad cron expression, time zone and day list', () => {
    const result = loadConfig({
      ...valid,
      DIGEST_CRON: '0 25 * * *',
      REMINDER_CRON: 'every morning',
      BOT_TIMEZONE: 'Europe/Atlantis',
      REMINDER_DAYS: '30,a week',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('DIGEST_CRON must be a cron expression such as "0 9 * * 1-5"');
    expect(result.message).toContain('REMINDER_CRON must be a cron expression');
    expect(result.message).toContain('BOT_TIMEZONE must be an IANA time zone');
    expect(result.message).toContain('REMINDER_DAYS must be numbers of days, comma-separated, such as 30,7,1');
  });
});
