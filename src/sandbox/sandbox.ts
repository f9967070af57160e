/**
 * The sandbox: the real bot (HTTP mode, demo tenant in its own SQLite file) talking to the Slack
 * emulator instead of Slack, and a page that plays the Slack client for a few demo users.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { startBot, type RunningBot } from '../bot.js';
import { loadConfig } from '../config.js';
import { sqliteMarkerPath } from '../db/safety.js';
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
}

export interface Sandbox {
  /** The page, e.g. http://localhost:3000/. */
  url: string;
  emulator: SlackEmulator;
  bot: RunningBot;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // The sandbox's database is disposable: deleting it starts over (the marker guards real ones).
  const databaseFile = path.resolve(options.databaseFile);
  if (!existsSync(databaseFile)) rmSync(sqliteMarkerPath(databaseFile), { force: true });
  const emulator = await startSlackEmulator({ users: [...SANDBOX_USERS] });
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
  });
  if (!loaded.ok) {
    await emulator.close();
    throw new Error(loaded.message);
  }
  let bot: RunningBot;
  try {
    bot = await startBot(loaded.config, { port: 0, retries: 0, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const target = { url: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret, emulator };
  const page = createPageServer({ emulator, target });
  try {
    await new Promise<void>((resolve, reject) => {
      page.server.once('error', reject);
      page.server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await bot.stop();
    await emulator.close();
    throw error;
  }
  const { port } = page.server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    emulator,
    bot,
    async close() {
      await page.close();
      await bot.stop();
      await emulator.close();
    },
  };
}
