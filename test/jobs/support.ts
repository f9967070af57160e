/** A real database, the Slack emulator and the real outbox, for the jobs' tests. */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { deliverOutbox } from '../../src/outbox/deliver.js';
import { slackNotices } from '../../src/slack/blocks/notices.js';
import { createLocalPolicyTenant } from '../../src/tenant/local/policy-tenant.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { useTestDatabase, type TestDatabase, type TestProvider } from '../support/database.js';

export const CHANNEL = 'C0ADMINS01';

/**
 * For the tests of jobs that post to Slack: one Slack emulator for the describe block, cleared
 * before each test, and a fresh database for each test. Both objects stand for the current ones.
 */
export function useJobWorld(provider: TestProvider): { database: TestDatabase; emulator: SlackEmulator } {
  let emulator: SlackEmulator | undefined;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ users: [] });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.reset();
  });
  const database = useTestDatabase(provider);
  const current = new Proxy({} as SlackEmulator, {
    get(_target, key) {
      if (!emulator) throw new Error('The Slack emulator is used outside the tests of its describe block');
      return Reflect.get(emulator, key);
    },
  });
  return { database, emulator: current };
}

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function jobDeps(database: Database, config: Config): JobDeps & { kicks: number } {
  const deps = {
    prisma: database.prisma,
    config,
    logger: quietLogger,
    kicks: 0,
    kickOutbox: () => {
      deps.kicks += 1;
    },
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
