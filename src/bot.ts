/**
 * The bot's lifecycle: verify the token, open the database (and seed the demo tenant), wire the
 * object graph (wiring.ts), then start the Slack app and the background work: the outbox
 * worker, the policy guard's start-up read and the scheduler; and stop them again within a
 * bounded time: new work is refused at once, work in flight gets a grace period, then every
 * Slack call still waiting is aborted and the database closed.
 * main.ts runs it for real; end-to-end tests (and the sandbox) run it with their own database,
 * clock and Slack Web API URL.
 */
import type { Server } from 'node:http';
import type { App, Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/client.js';
import { checkSqliteBeforeOpening, claimNeverUsed, markSqliteCreated, watchDatabase } from './db/safety.js';
import { consoleLogger } from './logger.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import type { OutboxSummary } from './outbox/deliver.js';
import { startOutboxWorker, type OutboxWorker } from './outbox/worker.js';
import { verifyBotToken, type SlackAppOptions } from './slack/app.js';
import type { HealthReport } from './slack/receiver.js';
import { socketModeStartError } from './slack/socket-mode.js';
import { seedDemoTenant } from './tenant/local/demo-tenant.js';
import type { PolicyTenant } from './tenant/port.js';
import { wireBot } from './wiring.js';

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
  /** See SlackAppOptions.socketMode (tests only). */
  socketMode?: SlackAppOptions['socketMode'];
  /** See SlackAppOptions.processBeforeResponse (tests only). */
  processBeforeResponse?: boolean;
  /**
   * TENANT=microsoft: run the policy guard once at start (default true), in the background;
   * an error is logged, never fatal. Tests turn it off, or await `startupPolicyGuard`.
   */
  policyGuardAtStart?: boolean;
  /**
   * TENANT=microsoft: sync the record from the tenant once at start (default true), in the
   * background; an error is logged, never fatal. Tests turn it off, or await `startupTenantSync`.
   */
  tenantSyncAtStart?: boolean;
  /** false: no scheduled jobs; tests call the job functions with the time they choose. */
  scheduler?: boolean;
  /** How long `stop()` lets work in flight finish before aborting it (default 5 s). */
  stopGraceMs?: number;
  /** How often the database is checked while running (default 30 s). */
  healthIntervalMs?: number;
  /**
   * The SQLite file or its folder vanished or was replaced while running: everything written now
   * would be lost. main.ts stops the bot; the health check fails meanwhile.
   */
  onDatabaseLost?: (problems: string[]) => void;
}

/** What `stop()` waits for after aborting Slack calls: their handlers record the outcome. */
const AFTER_ABORT_MS = 1_000;

/** Waits for `work`, but no longer than `ms`. */
async function atMost(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
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
  /** The start-up sync from the tenant, when there is one; it never rejects. */
  startupTenantSync?: Promise<void>;
  /** What GET /health answers (HTTP mode): the database is there and answers. */
  health(): Promise<HealthReport>;
  /** Stops within about `stopGraceMs` + 1 s whatever is in flight; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? (() => new Date());
  const identity = await verifyBotToken(config, options.retries);
  const ownsDatabase = options.database === undefined;
  if (ownsDatabase) checkSqliteBeforeOpening(config.DATABASE_URL);
  const database = options.database ?? (await createDatabase(config.DATABASE_URL));
  let worker: OutboxWorker | undefined;
  const logger = options.logger ?? consoleLogger(config.LOG_LEVEL);
  // Aborted when the bot stops: every Slack call still waiting gives up.
  const shutdown = new AbortController();
  try {
    if (ownsDatabase) {
      markSqliteCreated(config.DATABASE_URL, clock());
      // Demo data only ever goes into a database that never held anything, once.
      const neverUsed = await claimNeverUsed(database.prisma, clock());
      if (neverUsed && config.TENANT === 'local' && config.DEMO_TENANT) {
        const seeded = await seedDemoTenant(database.prisma, clock());
        if (seeded.seeded) logger.info('Seeded the demo tenant into a new database.');
      }
    }
    const watch = watchDatabase(database, ownsDatabase ? config.DATABASE_URL : '');
    const health = async (): Promise<HealthReport> => {
      const { problems } = await watch.check();
      return { ok: problems.length === 0, problems };
    };
    const bot = wireBot(config, {
      database,
      clock,
      logger,
      kickOutbox: () => worker?.kick(),
      shutdown: shutdown.signal,
      slackApp: {
        identity,
        health,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.processBeforeResponse !== undefined ? { processBeforeResponse: options.processBeforeResponse } : {}),
        ...(options.socketMode ? { socketMode: options.socketMode } : {}),
      },
    });
    worker =
      options.outboxWorker === false
        ? undefined
        : startOutboxWorker({ deliver: bot.deliverOutbox, clock, onError: (error) => logger.error('Outbox delivery failed', error) });
    const { app } = bot;
    const server = config.SLACK_APP_TOKEN
      ? await app.start().catch((error: unknown) => Promise.reject(socketModeStartError(error)))
      : await app.start(options.port ?? config.PORT);
    const address = (server as Server | undefined)?.address?.();
    const port = address && typeof address === 'object' ? address.port : undefined;
    // Policies live at Microsoft: read them now rather than at the first scheduled sync.
    const startupPolicyGuard =
      config.TENANT === 'microsoft' && options.policyGuardAtStart !== false
        ? bot.runPolicyGuard(clock()).then(
            (summary) => {
              logger.info('Policy guard at start', summary);
              worker?.kick();
            },
            (error: unknown) => logger.error('The policy guard could not read the tenant at start; it will try again on its schedule', error),
          )
        : undefined;
    // The record fills itself from Microsoft Graph: now, rather than at the first scheduled sync.
    const runTenantSync = bot.runTenantSync;
    const startupTenantSync =
      runTenantSync && options.tenantSyncAtStart !== false
        ? runTenantSync(clock()).then(
            async (run) => {
              logger.info('Tenant sync at start', run.status === 'ran' ? run.summary : run);
              worker?.kick();
              await bot.refreshHomes().catch((error: unknown) => logger.warn('Could not refresh App Home after the start-up sync', error));
            },
            (error: unknown) => logger.error('The tenant sync could not read Microsoft 365 at start; it will try again on its schedule', error),
          )
        : undefined;
    let scheduler: Scheduler | undefined;
    if (options.scheduler !== false) {
      try {
        scheduler = await startScheduler({
          prisma: database.prisma,
          deps: bot.jobDeps,
          jobs: bot.jobs,
          clock,
          logger,
          // What the jobs post or change shows on App Home: publish it again for its viewers.
          afterRun: async () => void (await bot.refreshHomes()),
        });
      } catch (error) {
        shutdown.abort();
        await worker?.stop(AFTER_ABORT_MS);
        await app.stop();
        throw error;
      }
    }
    const outboxWorker = worker;
    let lostReported = false;
    const watchdog = setInterval(() => {
      void watch.check().then(
        ({ problems, fatal }) => {
          if (!fatal || lostReported) return;
          lostReported = true;
          logger.error(`${problems.join(' ')} (${watch.file}) Whatever the bot wrote now would be lost: it must stop.`);
          options.onDatabaseLost?.(problems);
        },
        (error: unknown) => logger.error('The database check failed', error),
      );
    }, options.healthIntervalMs ?? 30_000);
    watchdog.unref();
    const grace = options.stopGraceMs ?? 5_000;
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      clearInterval(watchdog);
      // New requests are refused at once; work in flight gets the grace period, side by side.
      await Promise.all([
        atMost(app.stop(grace), grace + AFTER_ABORT_MS),
        atMost(scheduler?.stop(grace), grace),
        atMost(outboxWorker?.stop(grace), grace),
        atMost(startupPolicyGuard, grace),
        atMost(startupTenantSync, grace),
      ]);
      // Whatever still waits on Slack gives up now, and records that (outbox: "outcome unknown").
      shutdown.abort();
      await atMost(outboxWorker?.stop(AFTER_ABORT_MS), AFTER_ABORT_MS);
      if (ownsDatabase) await atMost(database.close(), AFTER_ABORT_MS);
    };
    return {
      app,
      database,
      ...(port !== undefined ? { port } : {}),
      deliverOutbox: () => bot.deliverOutbox(clock()),
      health,
      policyTenant: bot.policyTenant,
      ...(startupPolicyGuard ? { startupPolicyGuard } : {}),
      ...(startupTenantSync ? { startupTenantSync } : {}),
      stop: () => (stopping ??= stop()),
    };
  } catch (error) {
    shutdown.abort();
    await worker?.stop(AFTER_ABORT_MS);
    if (ownsDatabase) await database.close();
    throw error;
  }
}
