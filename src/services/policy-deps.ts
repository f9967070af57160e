import type { PolicyTenant } from '../tenant/port.js';

/** What policy use cases need besides the context: the tenant, and where to announce changes. */
export interface PolicyDeps {
  tenant: PolicyTenant;
  /** ADMIN_CHANNEL_ID; without it changes are confirmed to the actor only. */
  adminChannelId?: string | undefined;
}
