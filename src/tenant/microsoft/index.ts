/**
 * The `microsoft` tenant adapter, built from the configuration: purchase policies over the
 * licensing endpoint, the directory and license changes over Microsoft Graph. Both clients
 * sign in with one credential (the app registration of MS_CLIENT_ID), each with its own scope.
 */
import type { PolicyTenant, TenantDirectory, TenantLicenses } from '../port.js';
import type { MicrosoftConfig } from './config.js';
import { createMicrosoftTenantDirectory, createMicrosoftTenantLicenses } from './directory.js';
import { createGraphClient, type GraphLogEntry } from './graph-client.js';
import { createLicensingClient, type LicensingLogEntry } from './licensing-client.js';
import { createMicrosoftPolicyTenant } from './policy-tenant.js';
import { createMicrosoftCredential } from './token.js';

export interface TenantLogger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface MicrosoftTenant {
  policies: PolicyTenant;
  directory: TenantDirectory;
  licenses: TenantLicenses;
}

export function createMicrosoftTenant(config: MicrosoftConfig, logger: TenantLogger): MicrosoftTenant {
  const credential = createMicrosoftCredential(config);
  const common = { credential, timeoutMs: config.httpTimeoutMs, maxRetries: config.maxRetries };
  const licensing = createLicensingClient({
    ...common,
    baseUrl: config.licensingUrl,
    log: (entry: LicensingLogEntry) => logger[entry.level]('Microsoft licensing', entry),
  });
  const graph = createGraphClient({
    ...common,
    baseUrl: config.graphUrl,
    log: (entry: GraphLogEntry) => logger[entry.level]('Microsoft Graph', entry),
  });
  return {
    policies: createMicrosoftPolicyTenant(licensing),
    directory: createMicrosoftTenantDirectory(graph),
    licenses: createMicrosoftTenantLicenses(graph),
  };
}
