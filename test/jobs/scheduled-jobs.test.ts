import { describe, expect, it } from 'vitest';
import { scheduledJobs } from '../../src/jobs/index.js';
import { testConfig } from '../support/config.js';

const microsoft = {
  TENANT: 'microsoft',
  MS_TENANT_ID: 'contoso.onmicrosoft.com',
  MS_CLIENT_ID: '00000000-0000-4000-8000-000000000001',
  MS_CLIENT_SECRET: 'not-a-real-secret',
};

describe('the scheduled jobs', () => {
  it('are the digest, the reminders, the take-over resume and the weekly report with the local tenant, in the bot time zone', () => {
    const jobs = scheduledJobs(testConfig({ BOT_TIMEZONE: 'Europe/Berlin' }));
    expect(jobs.map((job) => [job.name, job.cron, job.timeZone])).toEqual([
      ['digest', '0 9 * * 1-5', 'Europe/Berlin'],
      ['reminders', '0 9 * * *', 'Europe/Berlin'],
      ['takeover-resume', '*/5 * * * *', 'Europe/Berlin'],
      ['report', '0 9 * * 1', 'Europe/Berlin'],
    ]);
  });

  it('add the policy guard on POLICY_SYNC_CRON when policies live at Microsoft', () => {
    const jobs = scheduledJobs(testConfig({ ...microsoft, POLICY_SYNC_CRON: '*/15 * * * *' }));
    expect(jobs.map((job) => job.name)).toContain('policy-guard');
    expect(jobs.find((job) => job.name === 'policy-guard')?.cron).toBe('*/15 * * * *');
  });
});

describe('the weekly report job', () => {
  it('runs on REPORT_CRON', () => {
    expect(scheduledJobs(testConfig({ REPORT_CRON: '30 8 * * 5' })).find((job) => job.name === 'report')?.cron).toBe('30 8 * * 5');
  });
});

describe('the tenant sync job', () => {
  it('runs on TENANT_SYNC_CRON (every 30 minutes by default) only when the record comes from Microsoft', () => {
    expect(scheduledJobs(testConfig({})).map((job) => job.name)).not.toContain('tenant-sync');
    expect(scheduledJobs(testConfig(microsoft)).find((job) => job.name === 'tenant-sync')?.cron).toBe('*/30 * * * *');
    expect(
      scheduledJobs(testConfig({ ...microsoft, TENANT_SYNC_CRON: '5 * * * *', BOT_TIMEZONE: 'Asia/Tokyo' })).find((job) => job.name === 'tenant-sync'),
    ).toMatchObject({
      cron: '5 * * * *',
      timeZone: 'Asia/Tokyo',
    });
  });
});
