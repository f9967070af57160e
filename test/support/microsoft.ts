import type { FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';

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
