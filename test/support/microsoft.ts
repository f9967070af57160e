import type { FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { loadMicrosoftConfig, type MicrosoftConfig } from '../../src/tenant/microsoft/config.js';
import { createMicrosoftTenant, type MicrosoftTenant, type TenantLogger } from '../../src/tenant/microsoft/index.js';

/**
 * The settings of a bot whose tenant is `fake` (TENANT=microsoft: its tenant, app, and the
 * sign-in, licensing and Graph URLs), with `env` added or overriding.
 */
export function microsoftEnv(fake: FakeMicrosoft, env: Record<string, string> = {}): Record<string, string> {
  return {
    TENANT: 'microsoft',
    MS_TENANT_ID: fake.tenantId,
    MS_CLIENT_ID: fake.clientId,
    MS_CLIENT_SECRET: fake.clientSecret,
    MS_LOGIN_URL: fake.url,
    MS_LICENSING_URL: fake.url,
    MS_GRAPH_URL: fake.url,
    ...env,
  };
}

/** The connector's configuration for `fake`, as the bot reads it from `microsoftEnv`; a bad value fails the test. */
export function microsoftConfig(fake: FakeMicrosoft, env: Record<string, string> = {}): MicrosoftConfig {
  const loaded = loadMicrosoftConfig(microsoftEnv(fake, env));
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.config;
}

const quiet: TenantLogger = { debug: () => {}, warn: () => {} };

/** The policies, directory and licenses of `fake` on one credential, as the bot builds them (silent unless given a logger). */
export function microsoftTenantOf(fake: FakeMicrosoft, env: Record<string, string> = {}, logger: TenantLogger = quiet): MicrosoftTenant {
  return createMicrosoftTenant(microsoftConfig(fake, env), logger);
}
