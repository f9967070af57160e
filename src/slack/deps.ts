import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { ServiceContext } from '../services/context.js';
import type { Notices } from '../services/notices.js';
import type { PolicyDeps } from '../services/policy-deps.js';
import type { SavingsDeps } from '../services/find-savings.js';
import type { DigestDeps } from '../services/post-digest.js';
import type { ReportDeps } from '../services/post-report.js';
import type { TenantSyncDeps } from '../services/sync-tenant.js';
import type { PolicyTenant, SubscriptionTenant } from '../tenant/port.js';
import type { AdminDirectory } from './admins.js';

/** What listeners need. `context()` stamps the current time: listeners never read the clock. */
export interface SlackDeps {
  config: Config;
  admins: AdminDirectory;
  context(): ServiceContext;
  /** Asks the outbox worker to deliver now what was just enqueued (it also runs on a timer). */
  kickOutbox(): void;
  logger: Logger;
  /** Where take-overs and centralizing change subscriptions and licenses. */
  subscriptionTenant: SubscriptionTenant;
  /** Where purchase policies are read and changed: the database or Microsoft 365 (TENANT). */
  policyTenant: PolicyTenant;
  /** How the services word what they post: handed to them, never imported by them. */
  notices: Notices;
  /** What `/purchases sync` reads: only with TENANT=microsoft (with local, the record is the tenant). */
  tenantSync?: TenantSyncDeps;
  /** fetch for file uploads: with a deadline, aborted when the bot stops. */
  uploadFetch: typeof fetch;
}

export function policyDeps(deps: SlackDeps): PolicyDeps {
  return { tenant: deps.policyTenant, adminChannelId: deps.config.ADMIN_CHANNEL_ID, notices: deps.notices.policies };
}

/** What the savings finder needs from the configuration and the tenant. */
export function savingsDeps(deps: Pick<SlackDeps, 'config' | 'subscriptionTenant'>): SavingsDeps {
  return { centralPrices: deps.config.CENTRAL_PRICES, licensesPerProduct: deps.subscriptionTenant.licensesPerProduct };
}

export function reportDeps(deps: SlackDeps): ReportDeps {
  return { ...savingsDeps(deps), notices: deps.notices.report, adminChannelId: deps.config.ADMIN_CHANNEL_ID };
}

export function digestDeps(deps: SlackDeps): DigestDeps {
  return { notices: deps.notices.digest, adminChannelId: deps.config.ADMIN_CHANNEL_ID };
}
