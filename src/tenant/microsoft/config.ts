/**
 * The environment of the `microsoft` tenant adapter. The fields are all optional in
 * `microsoftEnvShape` so the app schema can merge them and stay valid with TENANT=local;
 * `addMicrosoftEnvIssues` then says, per variable, what TENANT=microsoft still needs.
 * `microsoftConfigSchema` is the strict form: it checks and turns the variables into the
 * `MicrosoftConfig` that token.ts, licensing-client.ts and graph-client.ts take.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A directory (tenant) id or a verified domain such as contoso.onmicrosoft.com. */
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** https, or http to the loopback interface (a local fake or proxy). */
function isHttpsOrLoopback(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/** Reads the file at config time so a wrong path fails at start, not at the first sync. */
function pemProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return `cannot be read: no file at ${path}, or no permission to read it`;
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return 'must be a PEM file holding the certificate (-----BEGIN CERTIFICATE-----) and its private key';
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return 'must also hold the private key (-----BEGIN PRIVATE KEY-----), appended after the certificate';
  }
  return undefined;
}

export const microsoftEnvShape = {
  MS_TENANT_ID: z.preprocess(
    emptyAsUndefined,
    z.string().trim().regex(TENANT, 'must be the Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com').optional(),
  ),
  MS_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().trim().regex(GUID, 'must be the Application (client) ID of the app registration, a GUID').optional()),
  MS_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  MS_CLIENT_CERTIFICATE_PATH: z.preprocess(emptyAsUndefined, z.string().trim().optional()),
  MS_CLIENT_CERTIFICATE_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  MS_LICENSING_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ error: 'must be a URL such as https://licensing.m365.microsoft.com' })
      .refine(isHttpsOrLoopback, 'must use https (http is accepted only for 127.0.0.1 or localhost)')
      .default('https://licensing.m365.microsoft.com'),
  ),
  MS_GRAPH_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ error: 'must be a URL such as https://graph.microsoft.com' })
      .refine(isHttpsOrLoopback, 'must use https (http is accepted only for 127.0.0.1 or localhost)')
      .refine((value) => ['', '/'].includes(new URL(value).pathname), 'must be the host only, such as https://graph.microsoft.com (the bot adds /v1.0)')
      .default('https://graph.microsoft.com'),
  ),
  MS_LOGIN_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ error: 'must be a URL such as https://login.microsoftonline.com' })
      .refine((value) => new URL(value).protocol === 'https:', 'must use https: the Microsoft sign-in library refuses http')
      .default('https://login.microsoftonline.com'),
  ),
  MS_HTTP_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1000, 'must be at least 1000 (one second)')
      .max(300_000, 'must be at most 300000 (five minutes)')
      .default(30_000),
  ),
  MS_MAX_RETRIES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 10')
      .max(10, 'must be between 0 and 10')
      .default(4),
  ),
  MS_LICENSE_PACE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must be between 0 and 10000')
      .max(10_000, 'must be between 0 and 10000')
      .default(200),
  ),
};

const microsoftEnvSchema = z.object(microsoftEnvShape);
export type MicrosoftEnv = z.infer<typeof microsoftEnvSchema>;

/** Adds one issue per missing or conflicting variable; call it only when TENANT=microsoft. */
export function addMicrosoftEnvIssues(env: MicrosoftEnv, ctx: z.RefinementCtx): void {
  const issue = (variable: keyof MicrosoftEnv, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  if (!env.MS_TENANT_ID) {
    issue('MS_TENANT_ID', 'is required with TENANT=microsoft: the Directory (tenant) ID from Microsoft Entra ID > Overview');
  }
  if (!env.MS_CLIENT_ID) {
    issue('MS_CLIENT_ID', "is required with TENANT=microsoft: the Application (client) ID of the bot's app registration");
  }
  if (env.MS_CLIENT_SECRET && env.MS_CLIENT_CERTIFICATE_PATH) {
    issue('MS_CLIENT_SECRET', 'and MS_CLIENT_CERTIFICATE_PATH are both set: keep only one way to sign in');
  } else if (!env.MS_CLIENT_SECRET && !env.MS_CLIENT_CERTIFICATE_PATH) {
    issue(
      'MS_CLIENT_SECRET',
      'or MS_CLIENT_CERTIFICATE_PATH is required with TENANT=microsoft: a client secret of the app registration, or the path of a PEM file with its certificate and private key',
    );
  } else if (env.MS_CLIENT_CERTIFICATE_PATH) {
    const problem = pemProblem(env.MS_CLIENT_CERTIFICATE_PATH);
    if (problem) issue('MS_CLIENT_CERTIFICATE_PATH', problem);
  }
  if (env.MS_CLIENT_CERTIFICATE_PASSWORD && !env.MS_CLIENT_CERTIFICATE_PATH) {
    issue('MS_CLIENT_CERTIFICATE_PASSWORD', 'is set but MS_CLIENT_CERTIFICATE_PATH is not: it only unlocks a certificate key');
  }
}

export type MicrosoftAuth = { kind: 'secret'; clientSecret: string } | { kind: 'certificate'; certificatePath: string; certificatePassword?: string };

export interface MicrosoftConfig {
  tenantId: string;
  clientId: string;
  auth: MicrosoftAuth;
  licensingUrl: string;
  /** Microsoft Graph's origin; tokens for it are asked with the scope `<graphUrl>/.default`. */
  graphUrl: string;
  loginUrl: string;
  httpTimeoutMs: number;
  maxRetries: number;
  /** The pause between two users' license changes (a take-over changes one user at a time). */
  licensePaceMs: number;
}

/** For an env that passed `addMicrosoftEnvIssues` (e.g. the merged app config). */
export function toMicrosoftConfig(env: MicrosoftEnv): MicrosoftConfig {
  if (!env.MS_TENANT_ID || !env.MS_CLIENT_ID || !(env.MS_CLIENT_SECRET || env.MS_CLIENT_CERTIFICATE_PATH)) {
    throw new Error('toMicrosoftConfig needs an env validated by addMicrosoftEnvIssues');
  }
  const auth: MicrosoftAuth = env.MS_CLIENT_CERTIFICATE_PATH
    ? {
        kind: 'certificate',
        certificatePath: env.MS_CLIENT_CERTIFICATE_PATH,
        ...(env.MS_CLIENT_CERTIFICATE_PASSWORD ? { certificatePassword: env.MS_CLIENT_CERTIFICATE_PASSWORD } : {}),
      }
    : { kind: 'secret', clientSecret: env.MS_CLIENT_SECRET ?? '' };
  return {
    tenantId: env.MS_TENANT_ID,
    clientId: env.MS_CLIENT_ID,
    auth,
    licensingUrl: env.MS_LICENSING_URL.replace(/\/+$/, ''),
    graphUrl: new URL(env.MS_GRAPH_URL).origin,
    loginUrl: env.MS_LOGIN_URL.replace(/\/+$/, ''),
    httpTimeoutMs: env.MS_HTTP_TIMEOUT_MS,
    maxRetries: env.MS_MAX_RETRIES,
    licensePaceMs: env.MS_LICENSE_PACE_MS,
  };
}

export const microsoftConfigSchema = microsoftEnvSchema.superRefine(addMicrosoftEnvIssues).transform(toMicrosoftConfig);

export type MicrosoftConfigResult = { ok: true; config: MicrosoftConfig } | { ok: false; issues: string[]; message: string };

/** Secrets are never echoed back, even when they are the bad value. */
export function loadMicrosoftConfig(env: NodeJS.ProcessEnv): MicrosoftConfigResult {
  const parsed = microsoftConfigSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : 'configuration';
    return `${variable} ${issue.message}`;
  });
  return {
    ok: false,
    issues,
    message: `The Microsoft tenant connector (TENANT=microsoft) is not configured:\n${issues.map((line) => `  ${line}`).join('\n')}`,
  };
}
