/** Picks the policy adapter that TENANT names. */
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import type { TenantLogger } from './microsoft/index.js';
import type { PolicyTenant } from './port.js';
import { createTenants } from './tenants.js';

export type PolicyTenantLogger = TenantLogger;

export function createPolicyTenant(config: Config, prisma: PrismaClient, logger: PolicyTenantLogger): PolicyTenant {
  return createTenants(config, prisma, logger, () => new Date()).policies;
}
