/** Picks the policy adapter that TENANT names. */
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import { createLocalPolicyTenant } from './local/policy-tenant.js';
import { toMicrosoftConfig } from './microsoft/config.js';
import { createLicensingClient, type LicensingLogEntry } from './microsoft/licensing-client.js';
import { createMicrosoftPolicyTenant } from './microsoft/policy-tenant.js';
import { createMicrosoftCredential } from './microsoft/token.js';
import type { PolicyTenant } from './port.js';

export interface PolicyTenantLogger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export function createPolicyTenant(config: Config, prisma: PrismaClient, logger: PolicyTenantLogger): PolicyTenant {
  if (config.TENANT === 'local') return createLocalPolicyTenant(prisma);
  const microsoft = toMicrosoftConfig(config);
  const client = createLicensingClient({
    baseUrl: microsoft.licensingUrl,
    credential: createMicrosoftCredential(microsoft),
    timeoutMs: microsoft.httpTimeoutMs,
    maxRetries: microsoft.maxRetries,
    log: (entry: LicensingLogEntry) => logger[entry.level]('Microsoft licensing', entry),
  });
  return createMicrosoftPolicyTenant(client);
}
