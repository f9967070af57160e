/**
 * One zod schema over process.env. `loadConfig` never throws a stack trace at an admin:
 * it returns either the config or one message naming each bad variable and how to fix it.
 */
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { parseCentralPrices } from './domain/central-prices.js';
import { parsePolicyValue } from './domain/policy.js';
import { loadMicrosoftConfig, microsoftEnvShape } from './tenant/microsoft/config.js';

/** A Slack user id (U… or, on Enterprise Grid, W…): what the admin list and every request must carry. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const SLACK_USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** A setting's value, shown in a message only when it is not a secret: short, on one line. */
function shown(value: string): string {
  const line = value.replace(/\s+/g, ' ');
  return `"${line.length > 40 ? `${line.slice(0, 39)}…` : line}"`;
}

const FIND_MEMBER_ID = "in Slack, open the person's profile, then ⋯ → Copy member ID";
const FIND_CHANNEL_ID = 'in Slack, open the channel, click its name at the top and copy the Channel ID at the bottom of the About tab';

/** Why a Slack user id is not one, or undefined when it is. */
function userIdProblem(id: string): string | undefined {
  if (SLACK_USER_ID.test(id)) return undefined;
  const what = /.@/.test(id) ? 'an email address' : id.startsWith('@') || /^[a-z]/.test(id) ? 'a name' : 'not a member id';
  return `must be Slack user ids (member ids such as U0ABC123DEF), comma-separated: ${shown(id)} is ${what}. To find a member id, ${FIND_MEMBER_ID}`;
}

function channelIdProblem(value: string): string {
  const name = /^#/.test(value) || /^[a-z0-9][a-z0-9._-]*$/.test(value);
  return name
    ? `needs the channel's id (C… or G…), not its name ${shown(value)}: ${FIND_CHANNEL_ID}`
    : `must be a channel id, C… or G… such as C0ABC123DEF (${shown(value)} is not one): ${FIND_CHANNEL_ID}`;
}

/**
 * The values .env.example ships with, and the ids the docs use as examples: they pass the shape
 * checks, but they are nobody's settings, and would only fail later as "Slack refused the token".
 */
const PLACEHOLDERS: Record<string, { values: readonly string[]; fix: string }> = {
  SLACK_BOT_TOKEN: { values: ['xoxb-your-bot-token'], fix: "paste the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page" },
  SLACK_APP_TOKEN: {
    values: ['xapp-your-app-token'],
    fix: 'paste an app-level token (xapp-…) with connections:write from Basic Information → App-Level Tokens, or leave it empty for HTTP mode',
  },
  ADMIN_USER_IDS: { values: ['U012ABCDEF', 'U034GHIJKL'], fix: `put your own member id there: ${FIND_MEMBER_ID}` },
  ADMIN_USERGROUP_ID: { values: ['S012ABCDEF'], fix: "put your admins' user group id there, or leave it empty" },
  ADMIN_CHANNEL_ID: { values: ['C012ABCDEF'], fix: `put your admins' channel id there: ${FIND_CHANNEL_ID}` },
};
/** Words that mark a token someone has not filled in yet. */
const PLACEHOLDER_WORDS = /your|placeholder|changeme|replace|example/i;

function placeholderProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const [name, { values, fix }] of Object.entries(PLACEHOLDERS)) {
    const raw = (env[name] ?? '').trim();
    if (raw === '') continue;
    const entries = raw.split(',').map((entry) => entry.trim());
    const isToken = name.endsWith('_TOKEN');
    const found = entries.find((entry) => values.includes(entry) || (isToken && PLACEHOLDER_WORDS.test(entry)));
    if (!found) continue;
    // A token that is a real one is never echoed; one that matched a placeholder is not a secret.
    const which = values.includes(found) ? ` (${found})` : '';
    problems.push(`${name} is still a placeholder${which}, as in .env.example: ${fix}`);
  }
  return problems;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A node-cron expression (5 fields, or 6 with seconds first), read in BOT_TIMEZONE. */
const cronExpression = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .refine(isCronExpression, 'must be a cron expression such as "0 9 * * 1-5" (minute hour day-of-month month day-of-week)')
      .default(fallback),
  );

const port = () =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535');

/** A TCP port from an environment variable (empty means the default). */
export function portNumber(defaultPort: number) {
  return z.preprocess(emptyAsUndefined, port().default(defaultPort));
}

/** A TCP port from an environment variable that may be left empty (then undefined). */
const optionalPortNumber = () => z.preprocess(emptyAsUndefined, port().optional());

const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());

export const configSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string({ error: 'is required: the Bot User OAuth Token (xoxb-…) from your Slack app' })
      .refine(
        (token) => !token.startsWith('xapp-'),
        'is an app-level token (xapp-…): that one goes in SLACK_APP_TOKEN; SLACK_BOT_TOKEN takes the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
      )
      .refine(
        (token) => token.startsWith('xoxb-') || token.startsWith('xapp-'),
        'must be a bot token starting with xoxb- (the Bot User OAuth Token from OAuth & Permissions)',
      ),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (token) => !token.startsWith('xoxb-'),
        'is a bot token (xoxb-…): that one goes in SLACK_BOT_TOKEN; SLACK_APP_TOKEN takes an app-level token (xapp-…) from Basic Information → App-Level Tokens',
      )
      .refine(
        (token) => token.startsWith('xapp-') || token.startsWith('xoxb-'),
        'must be an app-level token starting with xapp- (Socket Mode), from Basic Information → App-Level Tokens',
      )
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: z.preprocess(emptyAsUndefined, z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional()),
  SLACK_TEAM_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^T[A-Z0-9]{2,}$/, 'must be a Slack workspace id like T012ABCDEF')
      .optional(),
  ),
  SLACK_APP_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^A[A-Z0-9]{2,}$/, 'must be a Slack app id like A012ABCDEF (Basic Information > App ID)')
      .optional(),
  ),
  SLACK_HTTP_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1000, 'must be at least 1000 (one second)')
      .max(60_000, 'must be at most 60000 (one minute)')
      .default(10_000),
  ),
  PORT: portNumber(3000),
  HEALTH_PORT: optionalPortNumber(),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
      .default('file:./data/purchases.db'),
  ),
  TENANT: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['local', 'microsoft'], {
        error: 'must be local (the database is the tenant) or microsoft (policies from the Microsoft 365 licensing service)',
      })
      .default('local'),
  ),
  ...microsoftEnvShape,
  POLICY_GUARD: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['off', 'report', 'enforce'], {
        error: 'must be off, report (tell the admins about new products and outside changes) or enforce (also set new Enabled products to POLICY_DEFAULT)',
      })
      .default('report'),
  ),
  POLICY_DEFAULT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('disabled')
      .transform((value, ctx) => {
        const policy = parsePolicyValue(value);
        if (policy) return policy;
        ctx.addIssue({ code: 'custom', message: 'must be enabled, trials or disabled' });
        return z.NEVER;
      }),
  ),
  POLICY_SYNC_CRON: z.preprocess(
    emptyAsUndefined,
    z.string().trim().refine(isCronExpression, 'must be a cron expression such as 0 * * * * (every hour, on the hour)').default('0 * * * *'),
  ),
  TENANT_SYNC_CRON: cronExpression('*/30 * * * *'),
  DEMO_TENANT: z
    .preprocess(emptyAsUndefined, z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'))
    .transform((value) => value === 'true'),
  ADMIN_USER_IDS: z
    .preprocess(emptyAsUndefined, z.string().default(''))
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string()).superRefine((ids, ctx) => {
        for (const id of ids) {
          const problem = userIdProblem(id);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
    ),
  ADMIN_USERGROUP_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .superRefine((id, ctx) => {
        if (SLACK_USERGROUP_ID.test(id)) return;
        const what = id.startsWith('@') ? 'its handle' : shown(id);
        ctx.addIssue({
          code: 'custom',
          message: `must be a Slack user group id such as S0ABC123DEF, not ${what}: open the group under People → User groups; its id is in the URL (…/usergroups/S…)`,
        });
      })
      .optional(),
  ),
  ADMIN_CHANNEL_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .superRefine((id, ctx) => {
        if (!SLACK_CHANNEL_ID.test(id)) ctx.addIssue({ code: 'custom', message: channelIdProblem(id) });
      })
      .optional(),
  ),
  BOT_TIMEZONE: z.preprocess(
    emptyAsUndefined,
    z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or America/New_York').default('UTC'),
  ),
  REQUIRE_SECOND_APPROVER: z
    .preprocess(
      emptyAsUndefined,
      z.enum(['true', 'false'], { error: 'must be true (another admin approves a take-over) or false (the requester may approve it)' }).default('true'),
    )
    .transform((value) => value === 'true'),
  DIGEST_CRON: cronExpression('0 9 * * 1-5'),
  REMINDER_CRON: cronExpression('0 9 * * *'),
  REMINDER_DAYS: z
    .preprocess(emptyAsUndefined, z.string().default('30,7,1'))
    .transform((value) =>
      value
        .split(',')
        .map((day) => day.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.coerce
            .number<string>({ error: 'must be numbers of days, comma-separated, such as 30,7,1' })
            .int('must be whole numbers of days')
            .min(0, 'must be 0 or more days')
            .max(365, 'must be at most 365 days'),
          {
            error: 'must be numbers of days, comma-separated, such as 30,7,1',
          },
        )
        .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
    ),
  REPORT_CRON: cronExpression('0 9 * * 1'),
  CENTRAL_PRICES: z.preprocess(emptyAsUndefined, z.string().default('')).transform((value, ctx) => {
    const parsed = parseCentralPrices(value);
    if (parsed.ok) return parsed.prices;
    for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }),
  DIGEST_SKIP_EMPTY: z
    .preprocess(emptyAsUndefined, z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'))
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info')),
});

export type Config = z.infer<typeof configSchema>;

/** `warnings`: settings that let the bot start but leave part of it without what it needs. */
export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; message: string };

/** Secrets are never echoed back, even when they are the bad value. */
/** Rules across variables, checked on the raw values so they are reported with the rest. */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode (no SLACK_APP_TOKEN set): the Signing Secret from Basic Information; or set SLACK_APP_TOKEN for Socket Mode',
    );
  }
  if (!set('ADMIN_USER_IDS') && !set('ADMIN_USERGROUP_ID')) {
    problems.push(`ADMIN_USER_IDS or ADMIN_USERGROUP_ID must name at least one admin, e.g. ADMIN_USER_IDS=U0ABC123DEF,U0GHI456JKL (${FIND_MEMBER_ID})`);
  }
  problems.push(...placeholderProblems(env));
  // The MS_* variables are required only with TENANT=microsoft; the adapter names each one.
  if ((env.TENANT ?? '').trim() === 'microsoft') {
    const microsoft = loadMicrosoftConfig(env);
    if (!microsoft.ok) problems.push(...microsoft.issues);
  }
  return problems;
}

function warningsOf(config: Config): string[] {
  const warnings: string[] = [];
  if (!config.ADMIN_CHANNEL_ID) {
    warnings.push(
      `ADMIN_CHANNEL_ID is not set: take-over approvals, the digest, expiration reminders and policy reports are posted in the admins' channel, so until it is set take-overs are refused and nothing is posted. Set it to the channel's id (${FIND_CHANNEL_ID}) and invite the bot there.`,
    );
  }
  return warnings;
}

export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = configSchema.safeParse(env);
  const problems = crossFieldProblems(env);
  if (parsed.success && problems.length === 0) return { ok: true, config: parsed.data, warnings: warningsOf(parsed.data) };
  const issues = parsed.success ? [] : parsed.error.issues;
  // A bad MS_* value is found by both the app schema and the adapter's check: say it once.
  const lines = [
    ...new Set([
      ...issues.map((issue) => {
        const variable = issue.path.length > 0 ? String(issue.path[0]) : 'configuration';
        return `  ${variable} ${issue.message}`;
      }),
      ...problems.map((problem) => `  ${problem}`),
    ]),
  ];
  return {
    ok: false,
    message: `The bot cannot start: fix these settings (in .env or the environment):\n${lines.join('\n')}\nSee .env.example for every variable.`,
  };
}
