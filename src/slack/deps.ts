import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { ServiceContext } from '../services/context.js';
import type { SubscriptionTenant } from '../tenant/port.js';
import type { PolicyDeps } from '../services/policy-deps.js';
import type { PolicyTenant } from '../tenant/port.js';
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
}

export function policyDeps(deps: SlackDeps): PolicyDeps {
  return { tenant: deps.policyTenant, adminChannelId: deps.config.ADMIN_CHANNEL_ID };
}
