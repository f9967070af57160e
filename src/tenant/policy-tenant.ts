/** Picks the policy adapter that TENANT names. */
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import { createLocalPolicyTenant } from './local/policy-tenant.js';
import { toMicrosoftConfig } from './microsoft/config.js';
import { createMicrosoftTenant, type TenantLogger } from './microsoft/index.js';
import type { PolicyTenant } from './port.js';

export type PolicyTenantLogger = TenantLogger;

export function createPolicyTenant(config: Config, prisma: PrismaClient, logger: PolicyTenantLogger): PolicyTenant {
  if (config.TENANT === 'local') return createLocalPolicyTenant(prisma);
  return createMicrosoftTenant(toMicrosoftConfig(config), logger).policies;
}
