/**
 * The composition root as a function: config -> database -> services -> Slack app.
 * main.ts runs it for real; end-to-end tests (and the sandbox) run it with their own database,
 * clock and Slack Web API URL.
 */
import type { Server } from 'node:http';
import type { App, Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/client.js';
import { createAdminDirectory } from './slack/admins.js';
import { createSlackApp } from './slack/app.js';
import { seedDemoTenant } from './tenant/local/demo-tenant.js';

export interface BotOptions {
  /** An already open database (tests); otherwise DATABASE_URL is opened and migrated. */
  database?: Database;
  clock?: () => Date;
  logger?: Logger;
  retries?: number;
  /** HTTP mode only: listen on this port instead of PORT (0 picks a free one). */
  port?: number;
}

export interface RunningBot {
  app: App;
  database: Database;
  /** HTTP mode: the port the receiver listens on. */
  port?: number;
  stop(): Promise<void>;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? (() => new Date());
  const database = options.database ?? (await createDatabase(config.DATABASE_URL));
  const ownsDatabase = options.database === undefined;
  try {
    if (config.TENANT === 'local' && config.DEMO_TENANT && ownsDatabase) {
      const seeded = await seedDemoTenant(database.prisma, clock());
      if (seeded.seeded) (options.logger ?? console).info('Seeded the demo tenant into an empty database.');
    }
    let app: App | undefined;
    const admins = createAdminDirectory({
      adminUserIds: config.ADMIN_USER_IDS,
      usergroupId: config.ADMIN_USERGROUP_ID,
      clock,
      fetchGroupMembers: async (usergroup) => {
        const result = await app!.client.usergroups.users.list({ usergroup });
        return result.users ?? [];
      },
    });
    app = createSlackApp(
      config,
      {
        config,
        admins,
        context: () => ({ prisma: database.prisma, now: clock(), timeZone: config.BOT_TIMEZONE }),
      },
      { ...(options.logger ? { logger: options.logger } : {}), ...(options.retries !== undefined ? { retries: options.retries } : {}) },
    );
    const started = config.SLACK_APP_TOKEN ? await app.start() : await app.start(options.port ?? config.PORT);
    const address = (started as Server | undefined)?.address?.();
    const port = address && typeof address === 'object' ? address.port : undefined;
    const running = app;
    return {
      app: running,
      database,
      ...(port !== undefined ? { port } : {}),
      async stop() {
        await running.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}
