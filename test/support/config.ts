import { loadConfig, type Config } from '../../src/config.js';

/**
 * The bot's settings for a test: what is required (a bot token, a signing secret, one admin),
 * the admins' channel and UTC, with `env` added or overriding. A bad value fails the test.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    ADMIN_USER_IDS: 'U0ADMIN0001',
    ADMIN_CHANNEL_ID: 'C0ADMINS01',
    BOT_TIMEZONE: 'UTC',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.config;
}
