/**
 * The adapters TENANT names, built once: with `local` the database is the tenant; with
 * `microsoft` one credential (the app registration) serves the purchase policies, the directory
 * the sync reads, and the license changes of take-overs.
 */
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import { createLocalPolicyTenant } from './local/policy-tenant.js';
import { createLocalSubscriptionTenant } from './local/subscription-tenant.js';
import { toMicrosoftConfig } from './microsoft/config.js';
import { createMicrosoftTenant, type TenantLogger } from './microsoft/index.js';
import { createMicrosoftSubscriptionTenant } from './microsoft/subscription-tenant.js';
import type { PolicyTenant, SubscriptionTenant, TenantDirectory } from './port.js';

export interface Tenants {
  policies: PolicyTenant;
  subscriptions: SubscriptionTenant;
  /** What a sync reads: only where the truth lives outside the record (TENANT=microsoft). */
  directory?: TenantDirectory;
}

export function createTenants(config: Config, prisma: PrismaClient, logger: TenantLogger, clock: () => Date): Tenants {
  if (config.TENANT === 'local') return { policies: createLocalPolicyTenant(prisma), subscriptions: createLocalSubscriptionTenant(prisma) };
  const microsoftConfig = toMicrosoftConfig(config);
  const microsoft = createMicrosoftTenant(microsoftConfig, logger);
  return {
    policies: microsoft.policies,
    directory: microsoft.directory,
    subscriptions: createMicrosoftSubscriptionTenant({ prisma, licenses: microsoft.licenses, clock, paceMs: microsoftConfig.licensePaceMs }),
  };
}
