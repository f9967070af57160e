/**
 * The composition root as a function: config -> database -> services -> Slack app.
 * main.ts runs it for real; end-to-end tests (and the sandbox) run it with their own database,
 * clock and Slack Web API URL.
 */
import type { Server } from 'node:http';
import { webApi, type App, type Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/client.js';
import { deliverOutbox, type OutboxSummary } from './outbox/deliver.js';
import { startOutboxWorker } from './outbox/worker.js';
import { scheduledJobs } from './jobs/index.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { createAdminDirectory } from './slack/admins.js';
import { createSlackApp, verifyBotToken } from './slack/app.js';
import { slackDirectory } from './slack/directory.js';
import { refreshHomes } from './slack/app-home.js';
import { slackNotices } from './slack/blocks/notices.js';
import { policyGuardDeps, runPolicyGuard } from './services/policy-guard.js';
import { seedDemoTenant } from './tenant/local/demo-tenant.js';
import { createLocalSubscriptionTenant } from './tenant/local/subscription-tenant.js';
import { createPolicyTenant } from './tenant/policy-tenant.js';
import type { PolicyTenant } from './tenant/port.js';

export interface BotOptions {
  /** An already open database (tests); otherwise DATABASE_URL is opened and migrated. */
  database?: Database;
  clock?: () => Date;
  logger?: Logger;
  retries?: number;
  /** HTTP mode only: listen on this port instead of PORT (0 picks a free one). */
  port?: number;
  /** false: no background outbox delivery; tests call `deliverOutbox()` when they choose. */
  outboxWorker?: boolean;
  /** See SlackAppOptions.processBeforeResponse (tests only). */
  processBeforeResponse?: boolean;
  /**
   * TENANT=microsoft: run the policy guard once at start (default true), in the background;
   * an error is logged, never fatal. Tests turn it off, or await `startupPolicyGuard`.
   */
  policyGuardAtStart?: boolean;
  /** false: no scheduled jobs; tests call the job functions with the time they choose. */
  scheduler?: boolean;
}

export interface RunningBot {
  app: App;
  database: Database;
  /** HTTP mode: the port the receiver listens on. */
  port?: number;
  /** Delivers due outbox messages now (what the background worker does every few seconds). */
  deliverOutbox(): Promise<OutboxSummary>;
  /** The adapter TENANT names, for jobs such as the policy guard. */
  policyTenant: PolicyTenant;
  /** The start-up run of the policy guard, when there is one; it never rejects. */
  startupPolicyGuard?: Promise<void>;
  stop(): Promise<void>;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? (() => new Date());
  const identity = await verifyBotToken(config, options.retries);
  const database = options.database ?? (await createDatabase(config.DATABASE_URL));
  const ownsDatabase = options.database === undefined;
  let worker: ReturnType<typeof startOutboxWorker> | undefined;
  const logger = options.logger ?? console;
  try {
    if (config.TENANT === 'local' && config.DEMO_TENANT && ownsDatabase) {
      const seeded = await seedDemoTenant(database.prisma, clock());
      if (seeded.seeded) logger.info('Seeded the demo tenant into an empty database.');
    }
    // Outbox delivery waits out 429s itself, persisted in the database: its client must
    // reject rate-limited calls instead of sleeping, and must not retry on its own.
    const outboxClient = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    const deliver = (now: Date) => deliverOutbox({ prisma: database.prisma, client: outboxClient, logger }, now);
    worker =
      options.outboxWorker === false
        ? undefined
        : startOutboxWorker({ deliver, clock, onError: (error) => logger.error('Outbox delivery failed', error) });
    const outboxWorker = worker;
    const policyTenant = createPolicyTenant(config, database.prisma, logger);
    const subscriptionTenant = createLocalSubscriptionTenant(database.prisma);
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
    app = createSlackApp(
      config,
      {
        config,
        admins,
        context: () => ({ prisma: database.prisma, now: clock(), timeZone: config.BOT_TIMEZONE }),
        kickOutbox: () => outboxWorker?.kick(),
        subscriptionTenant,
        policyTenant,
        notices: slackNotices,
      },
      {
        identity,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.processBeforeResponse !== undefined ? { processBeforeResponse: options.processBeforeResponse } : {}),
      },
    );
    const server = config.SLACK_APP_TOKEN ? await app.start() : await app.start(options.port ?? config.PORT);
    const address = (server as Server | undefined)?.address?.();
    const port = address && typeof address === 'object' ? address.port : undefined;
    const running = app;
    // Policies live at Microsoft: read them now rather than at the first scheduled sync.
    const startupPolicyGuard =
      config.TENANT === 'microsoft' && options.policyGuardAtStart !== false
        ? runPolicyGuard(policyGuardDeps(config, database.prisma, policyTenant, slackNotices.policyGuard), clock()).then(
            (summary) => {
              logger.info('Policy guard at start', summary);
              outboxWorker?.kick();
            },
            (error: unknown) => logger.error('The policy guard could not read the tenant at start; it will try again on its schedule', error),
          )
        : undefined;
    let scheduler: Scheduler | undefined;
    if (options.scheduler !== false) {
      const context = () => ({ prisma: database.prisma, now: clock(), timeZone: config.BOT_TIMEZONE });
      try {
        scheduler = await startScheduler({
          prisma: database.prisma,
          deps: {
            prisma: database.prisma,
            config,
            logger,
            kickOutbox: () => outboxWorker?.kick(),
            policyTenant,
            notices: slackNotices,
            takeovers: { tenant: subscriptionTenant, directory: slackDirectory(running.client), notices: slackNotices.takeover },
          },
          jobs: scheduledJobs(config),
          clock,
          logger,
          // What the jobs post or change shows on App Home: publish it again for its viewers.
          afterRun: async () => void (await refreshHomes(running.client, { admins, context })),
        });
      } catch (error) {
        await worker?.stop();
        await running.stop();
        throw error;
      }
    }
    return {
      app: running,
      database,
      ...(port !== undefined ? { port } : {}),
      deliverOutbox: () => deliver(clock()),
      policyTenant,
      ...(startupPolicyGuard ? { startupPolicyGuard } : {}),
      async stop() {
        await startupPolicyGuard;
        await scheduler?.stop();
        await outboxWorker?.stop();
        await running.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    await worker?.stop();
    if (ownsDatabase) await database.close();
    throw error;
  }
}
