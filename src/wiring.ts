/**
 * What talks to what: the bot's object graph, built from the configuration, an open database
 * and a clock. Tenants, the Slack app with its listeners, the outbox's Web API client, the
 * notices the services speak through, the scheduled jobs and what they get. Nothing here
 * starts, listens or schedules: that is bot.ts (the lifecycle).
 */
import type { App } from '@slack/bolt';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { scheduledJobs } from './jobs/index.js';
import type { Job, JobDeps, JobLogger } from './jobs/job.js';
import { deliverOutbox, type OutboxFailure, type OutboxSummary } from './outbox/deliver.js';
import type { ServiceContext } from './services/context.js';
import { approvalUndelivered, requestIdOfApprovalKey } from './services/takeover/request.js';
import { policyGuardDeps, runPolicyGuard, type PolicyGuardSummary } from './services/policy-guard.js';
import { settleDigest } from './services/post-digest.js';
import { createAdminDirectory } from './slack/admins.js';
import { refreshHomes } from './slack/app-home.js';
import { createSlackApp, type SlackAppOptions } from './slack/app.js';
import { undeliveredNotice } from './slack/blocks/delivery.js';
import { slackNotices } from './slack/blocks/notices.js';
import { slackDirectory } from './slack/directory.js';
import { skuBySkuId } from './domain/sku-catalog.js';
import { runSyncExclusive, TENANT_SYNC_ACTOR, type SyncRun, type TenantSyncDeps } from './services/sync-tenant.js';
import { outboxClient, slackFetch } from './slack/slack-http.js';
import type { PolicyTenantLogger } from './tenant/policy-tenant.js';
import type { PolicyTenant } from './tenant/port.js';
import { createTenants } from './tenant/tenants.js';

export interface WiringInput {
  database: Database;
  clock: () => Date;
  /** Where the outbox, the jobs and the tenants log (the Slack app has its own, see slackApp). */
  logger: JobLogger & PolicyTenantLogger;
  /** Asks the outbox worker (which the lifecycle owns) to deliver now what was just enqueued. */
  kickOutbox(): void;
  /** How the Slack app is built (its own logger, retries, the identity verified at start-up). */
  slackApp: SlackAppOptions;
  /** Aborted when the bot stops: Slack calls in flight give up. */
  shutdown?: AbortSignal;
}

export interface Wiring {
  /** The Bolt app with its middleware and listeners, not started. */
  app: App;
  /** The adapter TENANT names. */
  policyTenant: PolicyTenant;
  /** Delivers the outbox messages due at `now`, once each (what the outbox worker runs). */
  deliverOutbox(now: Date): Promise<OutboxSummary>;
  /** The jobs to schedule, and what each run gets. */
  jobs: Array<Job<JobDeps>>;
  jobDeps: JobDeps;
  /** Reads every policy from the tenant once (TENANT=microsoft, at start-up). */
  runPolicyGuard(now: Date): Promise<PolicyGuardSummary>;
  /** Syncs the record from the tenant once (TENANT=microsoft, at start-up); undefined with TENANT=local. */
  runTenantSync?(now: Date): Promise<SyncRun>;
  /** Publishes App Home again for the admins who opened it; how many. */
  refreshHomes(): Promise<number>;
}

const UPLOAD_TIMEOUT_MS = 120_000;

export function wireBot(config: Config, input: WiringInput): Wiring {
  const { database, clock, logger, kickOutbox } = input;
  const { prisma } = database;
  const context = (): ServiceContext => ({ prisma, now: clock(), timeZone: config.BOT_TIMEZONE });
  const tenants = createTenants(config, prisma, logger, clock);
  const policyTenant = tenants.policies;
  const subscriptionTenant = tenants.subscriptions;
  const tenantSync: TenantSyncDeps | undefined = tenants.directory && {
    directory: tenants.directory,
    skus: { skuBySkuId },
    takeoverNotices: slackNotices.takeover,
  };

  // Outbox delivery waits out 429s itself, persisted in the database: its client rejects
  // rate-limited calls instead of sleeping, and does not retry on its own.
  const slackCalls = { apiUrl: config.SLACK_API_URL, timeoutMs: config.SLACK_HTTP_TIMEOUT_MS, shutdown: input.shutdown };
  const deliveryClient = outboxClient(config.SLACK_BOT_TOKEN, slackCalls);

  let app: App | undefined;
  const admins = createAdminDirectory({
    adminUserIds: config.ADMIN_USER_IDS,
    usergroupId: config.ADMIN_USERGROUP_ID,
    clock,
    fetchGroupMembers: async (usergroup) => {
      const result = await app!.client.usergroups.users.list({ usergroup });
      return result.users ?? [];
    },
  });
  // Uploads stream a whole CSV: a longer deadline than one Web API call.
  const uploadFetch = slackFetch(Math.max(config.SLACK_HTTP_TIMEOUT_MS, UPLOAD_TIMEOUT_MS), input.shutdown);
  app = createSlackApp(
    config,
    { config, admins, context, kickOutbox, subscriptionTenant, policyTenant, notices: slackNotices, uploadFetch, ...(tenantSync ? { tenantSync } : {}) },
    { ...input.slackApp, ...(input.shutdown ? { shutdown: input.shutdown } : {}) },
  );
  const client = app.client;

  const homes = { admins, context };
  /** A take-over whose approval message Slack refused: its requester is told, App Home shows it. */
  const afterUndelivered = async (failure: OutboxFailure, now: Date): Promise<void> => {
    const requestId = requestIdOfApprovalKey(failure.dedupeKey);
    if (!requestId) return;
    await approvalUndelivered({ prisma, now, timeZone: config.BOT_TIMEZONE }, slackNotices.takeover, requestId, failure.error);
    kickOutbox();
    await refreshHomes(client, homes).catch((error: unknown) => logger.warn('Could not refresh App Home after an undelivered approval', error));
  };

  return {
    app,
    policyTenant,
    async deliverOutbox(now) {
      const summary = await deliverOutbox(
        { prisma, client: deliveryClient, logger, undelivered: undeliveredNotice, onFailed: afterUndelivered, uploadFetch },
        now,
      );
      // A digest counts as posted once Slack has all of it: App Home's "last digest" moves then.
      if (summary.sent > 0 && (await settleDigest(prisma, now)).outcome === 'sent') {
        await refreshHomes(client, homes).catch((error: unknown) => logger.warn('Could not refresh App Home after the digest went out', error));
      }
      return summary;
    },
    jobs: scheduledJobs(config),
    jobDeps: {
      prisma,
      config,
      logger,
      kickOutbox,
      notices: slackNotices,
      policyTenant,
      takeovers: { tenant: subscriptionTenant, directory: slackDirectory(client), notices: slackNotices.takeover },
      ...(tenantSync ? { tenantSync } : {}),
    },
    runPolicyGuard: (now) => runPolicyGuard(policyGuardDeps(config, prisma, policyTenant, slackNotices.policyGuard), now),
    ...(tenantSync
      ? {
          runTenantSync: (now: Date) =>
            runSyncExclusive({ prisma, now, timeZone: config.BOT_TIMEZONE }, { ...tenantSync, actor: { slackUserId: TENANT_SYNC_ACTOR } }),
        }
      : {}),
    refreshHomes: () => refreshHomes(client, homes),
  };
}
