/** A real database, the Slack emulator and the real outbox, for the jobs' tests. */
import { webApi } from '@slack/bolt';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { deliverOutbox } from '../../src/outbox/deliver.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { createLocalPolicyTenant } from '../../src/tenant/local/policy-tenant.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import type { SlackEmulator } from '../../src/devkit/slack-emulator/index.js';

export const CHANNEL = 'C0ADMINS01';

export function jobConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    ADMIN_USER_IDS: 'U0ADMIN0001',
    ADMIN_CHANNEL_ID: CHANNEL,
    BOT_TIMEZONE: 'UTC',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.config;
}

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function jobDeps(database: Database, config: Config): JobDeps & { kicks: number } {
  const deps = {
    prisma: database.prisma,
    config,
    logger: quietLogger,
    kicks: 0,
    kickOutbox: () => void (deps.kicks += 1),
    notices: slackNotices,
    policyTenant: createLocalPolicyTenant(database.prisma),
    takeovers: {
      tenant: createLocalSubscriptionTenant(database.prisma),
      directory: { userIdByEmail: async () => undefined },
      notices: slackNotices.takeover,
    },
  };
  return deps;
}

/** Delivers what the outbox holds to the emulator, as the worker would at `now`. */
export function deliver(database: Database, emulator: SlackEmulator, now: Date) {
  const client = new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  return deliverOutbox({ prisma: database.prisma, client, logger: quietLogger }, now);
}

export const at = (iso: string) => new Date(iso);
