/** What a scheduled job is: a plain function of its dependencies and the time, plus when to run it. */
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import type { Notices } from '../services/notices.js';
import type { TenantSyncDeps } from '../services/sync-tenant.js';
import type { DecisionDeps } from '../services/takeover/decide.js';
import type { PolicyTenant } from '../tenant/port.js';

export interface JobLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** What jobs get. Extend it (a tenant port, ...) when a job needs more. */
export interface JobDeps {
  prisma: PrismaClient;
  config: Config;
  logger: JobLogger;
  /** Asks the outbox worker to deliver now what a job just enqueued. */
  kickOutbox(): void;
  /** What the jobs' posts say: the Slack layer's wording, handed in by the composition root. */
  notices: Notices;
  /** Where purchase policies are read (the policy guard). */
  policyTenant: PolicyTenant;
  /** What finishing an approved take-over needs (the resume job). */
  takeovers: DecisionDeps;
  /** What the tenant sync reads (TENANT=microsoft only). */
  tenantSync?: TenantSyncDeps;
}

export interface JobRunContext {
  /** The scheduled instant this run was claimed for (a run caught up late still names its slot). */
  slot: Date;
}

export interface Job<D = JobDeps> {
  /** Stable: it keys the run-once claims and the job's state. */
  name: string;
  /** node-cron expression, read in `timeZone`. */
  cron: string;
  timeZone: string;
  /** Does the work once and says what it did (stored with the run, JSON). */
  run(deps: D, now: Date, context: JobRunContext): Promise<unknown>;
  /** True when a run's summary says it changed nothing: the after-run hook is then skipped. */
  changedNothing?(summary: unknown): boolean;
}
