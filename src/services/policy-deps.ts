/**
 * What the policy use cases (set-policy, set-all-policies) need besides the context, what they
 * return, and the port through which they announce changes in the admins' channel.
 */
import type { PolicyKind, PolicyValue } from '../domain/policy.js';
import type { PolicyTenant, TenantPolicy } from '../tenant/port.js';
import type { Message } from './messages.js';

export interface PolicyDeps {
  tenant: PolicyTenant;
  /** ADMIN_CHANNEL_ID; without it changes are confirmed to the actor only. */
  adminChannelId?: string | undefined;
  notices: PolicyNotices;
}

/** One product's or offer type's change, as the tenant accepted it. */
export interface PolicyOutcome {
  policy: { id: string; kind: PolicyKind; name: string };
  before: PolicyValue;
  after: PolicyValue;
  changed: boolean;
}

/** The tenant-wide switch before it runs: what would change, and what would not. */
export interface PolicyPlan {
  value: PolicyValue;
  toChange: TenantPolicy[];
  unchanged: TenantPolicy[];
  /** Offer types when the value is trials: they take only enabled or disabled. */
  skipped: TenantPolicy[];
}

export interface AllPoliciesResult extends PolicyPlan {
  changed: Array<{ policy: TenantPolicy; before: PolicyValue }>;
  failed: Array<{ policy: TenantPolicy; reason: string }>;
}

/** What policy changes tell the admins' channel: a port the Slack layer implements. */
export interface PolicyNotices {
  /** `actor` (a Slack user id) changed one policy. */
  changed(actor: string, outcome: PolicyOutcome): Message;
  /** `actor` switched every policy: what changed, what was already so, what failed and why. */
  allChanged(actor: string, result: AllPoliciesResult): Message;
}
