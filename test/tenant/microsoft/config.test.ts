import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addMicrosoftEnvIssues, loadMicrosoftConfig, microsoftEnvShape } from '../../../src/tenant/microsoft/config.js';
import { TEST_CA_PATH, TEST_CLIENT_CERTIFICATE_PATH } from '../../../src/devkit/microsoft-fake/index.js';

const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = '66666666-7777-8888-9999-000000000000';

function issuesOf(env: NodeJS.ProcessEnv): string[] {
  const result = loadMicrosoftConfig(env);
  return result.ok ? [] : result.issues;
}

describe('the Microsoft configuration', () => {
  it('takes a client secret and fills in the defaults', () => {
    const result = loadMicrosoftConfig({ MS_TENANT_ID: TENANT_ID, MS_CLIENT_ID: CLIENT_ID, MS_CLIENT_SECRET: 's3cret' });

    expect(result).toEqual({
      ok: true,
      config: {
        tenantId: TENANT_ID,
        clientId: CLIENT_ID,
        auth: { kind: 'secret', clientSecret: 's3cret' },
        licensingUrl: 'https://licensing.m365.microsoft.com',
        graphUrl: 'https://graph.microsoft.com',
        loginUrl: 'https://login.microsoftonline.com',
        httpTimeoutMs: 30_000,
        maxRetries: 4,
        licensePaceMs: 200,
      },
    });
  });

  it('takes a certificate file with its private key and an optional password', () => {
    const result = loadMicrosoftConfig({
      MS_TENANT_ID: 'contoso.onmicrosoft.com',
      MS_CLIENT_ID: CLIENT_ID,
      MS_CLIENT_CERTIFICATE_PATH: TEST_CLIENT_CERTIFICATE_PATH,
      MS_CLIENT_CERTIFICATE_PASSWORD: 'pfx-pass',
      MS_HTTP_TIMEOUT_MS: '10000',
      MS_MAX_RETRIES: '0',
    });

    expect(result.ok && result.config).toMatchObject({
      tenantId: 'contoso.onmicrosoft.com',
      auth: { kind: 'certificate', certificatePath: TEST_CLIENT_CERTIFICATE_PATH, certificatePassword: 'pfx-pass' },
      httpTimeoutMs: 10_000,
      maxRetries: 0,
    });
  });

  it('names every missing variable and what to put in it', () => {
    expect(issuesOf({})).toEqual([
      'MS_TENANT_ID is required with TENANT=microsoft: the Directory (tenant) ID from Microsoft Entra ID > Overview',
      "MS_CLIENT_ID is required with TENANT=microsoft: the Application (client) ID of the bot's app registration",
      'MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH is required with TENANT=microsoft: a client secret of the app registration, or the path of a PEM file with its certificate and private key',
    ]);
  });

  it('refuses bad values one variable at a time, without echoing a secret', () => {
    const issues = issuesOf({
      MS_TENANT_ID: 'not a tenant',
      MS_CLIENT_ID: 'my-app',
      MS_CLIENT_SECRET: 'hunter2',
      MS_LOGIN_URL: 'http://login.example',
      MS_LICENSING_URL: 'http://licensing.example',
      MS_HTTP_TIMEOUT_MS: 'soon',
      MS_MAX_RETRIES: '99',
    });

    expect(issues.map((issue) => issue.split(' ')[0])).toEqual([
      'MS_TENANT_ID',
      'MS_CLIENT_ID',
      'MS_LICENSING_URL',
      'MS_LOGIN_URL',
      'MS_HTTP_TIMEOUT_MS',
      'MS_MAX_RETRIES',
    ]);
    expect(issues.join('\n')).not.toContain('hunter2');
  });

  it('accepts http only for a licensing URL on this machine', () => {
    const result = loadMicrosoftConfig({
      MS_TENANT_ID: TENANT_ID,
      MS_CLIENT_ID: CLIENT_ID,
      MS_CLIENT_SECRET: 's3cret',
      MS_LICENSING_URL: 'http://127.0.0.1:8080/',
    });

    expect(result.ok && result.config.licensingUrl).toBe('http://127.0.0.1:8080');
  });

  it('takes Microsoft Graph as a host, and refuses a path or plain http to another machine', () => {
    const base = { MS_TENANT_ID: TENANT_ID, MS_CLIENT_ID: CLIENT_ID, MS_CLIENT_SECRET: 's3cret' };

    const local = loadMicrosoftConfig({ ...base, MS_GRAPH_URL: 'https://127.0.0.1:8443/' });
    expect(local.ok && local.config.graphUrl).toBe('https://127.0.0.1:8443');
    expect(issuesOf({ ...base, MS_GRAPH_URL: 'https://graph.microsoft.com/v1.0' })).toEqual([
      'MS_GRAPH_URL must be the host only, such as https://graph.microsoft.com (the bot adds /v1.0)',
    ]);
    expect(issuesOf({ ...base, MS_GRAPH_URL: 'http://graph.example' })).toEqual([
      'MS_GRAPH_URL must use https (http is accepted only for 127.0.0.1 or localhost)',
    ]);
  });

  it('wants exactly one way to sign in', () => {
    expect(
      issuesOf({
        MS_TENANT_ID: TENANT_ID,
        MS_CLIENT_ID: CLIENT_ID,
        MS_CLIENT_SECRET: 's3cret',
        MS_CLIENT_CERTIFICATE_PATH: TEST_CLIENT_CERTIFICATE_PATH,
      }),
    ).toEqual(['MS_CLIENT_SECRET and MS_CLIENT_CERTIFICATE_PATH are both set: keep only one way to sign in']);
  });

  it('checks at start that the certificate file exists and holds a private key', () => {
    const base = { MS_TENANT_ID: TENANT_ID, MS_CLIENT_ID: CLIENT_ID };

    expect(issuesOf({ ...base, MS_CLIENT_CERTIFICATE_PATH: '/nowhere/app.pem' })).toEqual([
      'MS_CLIENT_CERTIFICATE_PATH cannot be read: no file at /nowhere/app.pem, or no permission to read it',
    ]);
    expect(issuesOf({ ...base, MS_CLIENT_CERTIFICATE_PATH: TEST_CA_PATH })).toEqual([
      'MS_CLIENT_CERTIFICATE_PATH must also hold the private key (-----BEGIN PRIVATE KEY-----), appended after the certificate',
    ]);
  });

  it('merges into the app schema and asks for the variables only when TENANT=microsoft', () => {
    const appSchema = z.object({ TENANT: z.enum(['local', 'microsoft']).default('local'), ...microsoftEnvShape }).superRefine((config, ctx) => {
      if (config.TENANT === 'microsoft') addMicrosoftEnvIssues(config, ctx);
    });

    expect(appSchema.safeParse({}).success).toBe(true);
    const microsoft = appSchema.safeParse({ TENANT: 'microsoft' });
    expect(microsoft.success).toBe(false);
    expect(microsoft.error?.issues.map((issue) => issue.path[0])).toEqual(['MS_TENANT_ID', 'MS_CLIENT_ID', 'MS_CLIENT_SECRET']);
  });
});
