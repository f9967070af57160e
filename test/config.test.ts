import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret-value',
  ADMIN_USER_IDS: 'U0ADMIN0001, U0ADMIN0002',
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'file:./data/purchases.db',
      TENANT: 'local',
      DEMO_TENANT: true,
      BOT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
      ADMIN_USER_IDS: ['U0ADMIN0001', 'U0ADMIN0002'],
    });
  });

  it('names every bad variable in one message and how to fix it', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      BOT_TIMEZONE: 'Mars/Olympus',
      ADMIN_USER_IDS: 'alice',
      DATABASE_URL: 'mysql://x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(result.message).toContain('PORT must be a port number');
    expect(result.message).toContain('BOT_TIMEZONE must be an IANA time zone');
    expect(result.message).toContain('ADMIN_USER_IDS must be Slack user ids');
    expect(result.message).toContain('DATABASE_URL must start with file:');
    expect(result.message).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
  });

  it('gives Slack calls ten seconds by default and names a bad timeout, workspace or app id', () => {
    const defaults = loadConfig(valid);
    expect(defaults.ok && defaults.config.SLACK_HTTP_TIMEOUT_MS).toBe(10_000);
    const result = loadConfig({ ...valid, SLACK_HTTP_TIMEOUT_MS: '50', SLACK_TEAM_ID: 'acme', SLACK_APP_ID: 'T012ABCDEF' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_HTTP_TIMEOUT_MS must be at least 1000');
    expect(result.message).toContain('SLACK_TEAM_ID must be a Slack workspace id like T012ABCDEF');
    expect(result.message).toContain('SLACK_APP_ID must be a Slack app id like A012ABCDEF');
  });

  it('says a missing bot token is required', () => {
    const result = loadConfig({ SLACK_APP_TOKEN: 'xapp-1', ADMIN_USER_IDS: 'U0ADMIN0001' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_BOT_TOKEN is required');
  });

  it('needs at least one admin', () => {
    const result = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('ADMIN_USER_IDS or ADMIN_USERGROUP_ID must name at least one admin');
  });

  it('never echoes a secret back', () => {
    const result = loadConfig({ SLACK_BOT_TOKEN: 'not-a-token-s3cr3t', SLACK_APP_TOKEN: 'xapp-1', ADMIN_USER_IDS: 'U0ADMIN0001' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).not.toContain('s3cr3t');
  });

  it('requires a second approver for take-overs unless REQUIRE_SECOND_APPROVER=false, and names a bad value', () => {
    const defaults = loadConfig(valid);
    expect(defaults.ok && defaults.config.REQUIRE_SECOND_APPROVER).toBe(true);
    const off = loadConfig({ ...valid, REQUIRE_SECOND_APPROVER: 'false' });
    expect(off.ok && off.config.REQUIRE_SECOND_APPROVER).toBe(false);
    const bad = loadConfig({ ...valid, REQUIRE_SECOND_APPROVER: 'maybe' });
    expect(!bad.ok && bad.message).toContain('REQUIRE_SECOND_APPROVER must be true');
  });

  it('treats empty variables as unset', () => {
    const result = loadConfig({ ...valid, PORT: '', ADMIN_CHANNEL_ID: '', BOT_TIMEZONE: '' });
    expect(result.ok).toBe(true);
  });

  it('defaults the policy guard to report, new products to disabled and the sync to every hour', () => {
    const result = loadConfig(valid);
    if (!result.ok) throw new Error(result.message);
    expect(result.config).toMatchObject({ POLICY_GUARD: 'report', POLICY_DEFAULT: 'Disabled', POLICY_SYNC_CRON: '0 * * * *' });
  });

  it('accepts a policy default as a word or a Microsoft name, in any case', () => {
    for (const [text, value] of [
      ['trials', 'OnlyTrialsWithoutPaymentMethod'],
      ['ENABLED', 'Enabled'],
      ['OnlyTrialsWithoutPaymentMethod', 'OnlyTrialsWithoutPaymentMethod'],
    ] as const) {
      const result = loadConfig({ ...valid, POLICY_DEFAULT: text });
      if (!result.ok) throw new Error(result.message);
      expect(result.config.POLICY_DEFAULT).toBe(value);
    }
  });

  it('names a bad policy guard, default and sync schedule together', () => {
    const result = loadConfig({ ...valid, POLICY_GUARD: 'strict', POLICY_DEFAULT: 'maybe', POLICY_SYNC_CRON: 'every hour' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('POLICY_GUARD must be off, report');
    expect(result.message).toContain('POLICY_DEFAULT must be enabled, trials or disabled');
    expect(result.message).toContain('POLICY_SYNC_CRON must be a cron expression');
  });

  it('needs no Microsoft variables with the local tenant', () => {
    const result = loadConfig({ ...valid, TENANT: 'local' });
    expect(result.ok).toBe(true);
  });

  it('names every missing Microsoft variable with TENANT=microsoft, along with the other bad ones', () => {
    const result = loadConfig({ ...valid, TENANT: 'microsoft', MS_CLIENT_ID: 'not-a-guid', PORT: 'eighty' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('MS_TENANT_ID is required with TENANT=microsoft');
    expect(result.message).toContain('MS_CLIENT_ID must be the Application (client) ID');
    expect(result.message).toContain('MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH is required');
    expect(result.message).toContain('PORT must be a port number');
    expect(result.message.match(/MS_CLIENT_ID must be/g)).toHaveLength(1);
  });

  it('accepts TENANT=microsoft with a tenant, a client and a secret, and never echoes the secret', () => {
    const env = {
      ...valid,
      TENANT: 'microsoft',
      MS_TENANT_ID: 'contoso.onmicrosoft.com',
      MS_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
      MS_CLIENT_SECRET: 'sh-s3cr3t',
    };
    const result = loadConfig(env);
    if (!result.ok) throw new Error(result.message);
    expect(result.config).toMatchObject({ TENANT: 'microsoft', MS_LICENSING_URL: 'https://licensing.m365.microsoft.com' });
    const bad = loadConfig({ ...env, MS_LOGIN_URL: 'http://login.example.com' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.message).toContain('MS_LOGIN_URL must use https');
    expect(bad.message).not.toContain('sh-s3cr3t');
  });

  it('names the placeholders of .env.example instead of starting with them', () => {
    const example = parseEnv(readFileSync('.env.example', 'utf8'));
    const result = loadConfig(example);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_BOT_TOKEN is still a placeholder (xoxb-your-bot-token), as in .env.example');
    expect(result.message).toContain('SLACK_APP_TOKEN is still a placeholder (xapp-your-app-token)');
    expect(result.message).toContain('ADMIN_USER_IDS is still a placeholder (U012ABCDEF)');
    expect(result.message).toContain('Copy member ID');
  });

  it('says a token went in the other variable', () => {
    const result = loadConfig({ ...valid, SLACK_BOT_TOKEN: 'xapp-1-A0-s3cr3t', SLACK_APP_TOKEN: 'xoxb-1-2-s3cr3t' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_BOT_TOKEN is an app-level token (xapp-…): that one goes in SLACK_APP_TOKEN');
    expect(result.message).toContain('SLACK_APP_TOKEN is a bot token (xoxb-…): that one goes in SLACK_BOT_TOKEN');
    expect(result.message).not.toContain('s3cr3t');
  });

  it('asks for the admins channel by id, not by name, and says where to find the id', () => {
    for (const name of ['#purchase-admins', 'purchase-admins']) {
      const result = loadConfig({ ...valid, ADMIN_CHANNEL_ID: name });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.message).toContain(`ADMIN_CHANNEL_ID needs the channel's id (C… or G…), not its name "${name}"`);
      expect(result.message).toContain('Channel ID at the bottom of the About tab');
    }
    expect(loadConfig({ ...valid, ADMIN_CHANNEL_ID: 'C0PURCHADM1' }).ok).toBe(true);
  });

  it('names an admin given by name or email rather than by member id', () => {
    const result = loadConfig({ ...valid, ADMIN_USER_IDS: 'U0ADMIN0001, @alice, bob@contoso.com' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('"@alice" is a name');
    expect(result.message).toContain('"bob@contoso.com" is an email address');
  });

  it('warns at start when no admins channel is set, saying what does not work without it', () => {
    const result = loadConfig(valid);
    if (!result.ok) throw new Error(result.message);
    expect(result.warnings).toEqual([
      expect.stringContaining('ADMIN_CHANNEL_ID is not set: take-over approvals, the digest, expiration reminders and policy reports'),
    ]);
    const set = loadConfig({ ...valid, ADMIN_CHANNEL_ID: 'C0PURCHADM1' });
    expect(set.ok && set.warnings).toEqual([]);
  });
});
