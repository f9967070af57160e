/**
 * The sandbox: the real bot (HTTP mode, demo tenant in its own SQLite file) talking to the Slack
 * emulator instead of Slack, and a page that plays the Slack client for a few demo users. With
 * tenant `microsoft` the bot runs with TENANT=microsoft against the in-process Microsoft fake
 * (token authority, licensing endpoint, Graph with a small demo tenant), which needs the fake's
 * test CA trusted from the process's start (NODE_EXTRA_CA_CERTS; main.ts sees to it).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { startOfDay } from 'date-fns';
import { startBot, type RunningBot } from '../bot.js';
import { loadConfig } from '../config.js';
import { sqliteMarkerPath } from '../db/safety.js';
import { demoGraphTenant, startFakeMicrosoft, type FakeMicrosoft } from '../devkit/microsoft-fake/index.js';
import { startSlackEmulator, type SlackEmulator } from '../devkit/slack-emulator/index.js';
import { createPageServer } from './server.js';
import { ADMIN_CHANNEL, SANDBOX_ADMINS, SANDBOX_USERS } from './workspace.js';

export interface SandboxOptions {
  /** Port of the page; 0 picks a free one. */
  port: number;
  /** The SQLite file the bot keeps the demo tenant in (created and seeded when missing). */
  databaseFile: string;
  /** Bot settings the sandbox passes through (BOT_TIMEZONE, LOG_LEVEL, REQUIRE_SECOND_APPROVER, …). */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** local (default): the demo tenant in the bot's record; microsoft: TENANT=microsoft against the Microsoft fake. */
  tenant?: 'local' | 'microsoft';
}

export interface Sandbox {
  /** The page, e.g. http://localhost:3000/. */
  url: string;
  emulator: SlackEmulator;
  bot: RunningBot;
  /** With tenant `microsoft`: the Microsoft 365 the bot talks to. */
  microsoft?: FakeMicrosoft;
  close(): Promise<void>;
}

/** The bot's settings for the Microsoft fake: a demo tenant in Graph, the fake's policies, its app registration. */
function microsoftSettings(fake: FakeMicrosoft): Record<string, string> {
  return {
    TENANT: 'microsoft',
    DEMO_TENANT: 'false',
    MS_TENANT_ID: fake.tenantId,
    MS_CLIENT_ID: fake.clientId,
    MS_CLIENT_SECRET: fake.clientSecret,
    MS_CLIENT_CERTIFICATE_PATH: '',
    MS_LOGIN_URL: fake.url,
    MS_LICENSING_URL: fake.url,
    MS_GRAPH_URL: fake.url,
  };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // The sandbox's database is disposable: deleting it starts over (the marker guards real ones).
  const databaseFile = path.resolve(options.databaseFile);
  if (!existsSync(databaseFile)) rmSync(sqliteMarkerPath(databaseFile), { force: true });
  const emulator = await startSlackEmulator({ users: [...SANDBOX_USERS] });
  // The Microsoft fake starts afresh each run; its demo tenant is dated from today, so a sync the
  // same day finds it as it left it.
  let microsoft: FakeMicrosoft | undefined;
  try {
    if (options.tenant === 'microsoft') microsoft = await startFakeMicrosoft({ graph: demoGraphTenant(startOfDay(new Date())) });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const closeFakes = async () => {
    await microsoft?.close();
    await emulator.close();
  };
  const signingSecret = randomBytes(16).toString('hex');
  const loaded = loadConfig({
    ...options.env,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_APP_TOKEN: '',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: emulator.url,
    DATABASE_URL: `file:${databaseFile}`,
    TENANT: 'local',
    DEMO_TENANT: 'true',
    ADMIN_USER_IDS: SANDBOX_ADMINS.join(','),
    ADMIN_USERGROUP_ID: '',
    ADMIN_CHANNEL_ID: ADMIN_CHANNEL.id,
    ...(microsoft ? microsoftSettings(microsoft) : {}),
  });
  if (!loaded.ok) {
    await closeFakes();
    throw new Error(loaded.message);
  }
  let bot: RunningBot;
  try {
    bot = await startBot(loaded.config, { port: 0, retries: 0, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (error) {
    await closeFakes();
    throw error;
  }
  const target = { url: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret, emulator };
  const page = createPageServer({ emulator, target, health: () => bot.health() });
  try {
    await new Promise<void>((resolve, reject) => {
      page.server.once('error', reject);
      page.server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await bot.stop();
    await closeFakes();
    throw error;
  }
  const { port } = page.server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    emulator,
    bot,
    ...(microsoft ? { microsoft } : {}),
    async close() {
      await page.close();
      await bot.stop();
      await closeFakes();
    },
  };
}
