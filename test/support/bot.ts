/**
 * The real bot for end-to-end tests: Bolt in HTTP mode on a free port, its Web API client
 * pointed at the Slack emulator (retries off), a fresh real database, and a clock the test sets.
 */
import type { Logger } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDatabase, type Database } from '../../src/db/client.js';
import { startSlackEmulator, type EmulatedUser, type EmulatedView, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { seedDemoTenant } from '../../src/tenant/local/demo-tenant.js';
import { createTestDatabase, type TestProvider } from './database.js';
import { buildBlockActionsPayload, sendEvent, sendInteraction, sendSlashCommand, type SlackRequestTarget } from './slack-requests.js';

export const ADMIN_A = 'U0ADMIN0001';
export const ADMIN_B = 'U0ADMIN0002';
export const NON_ADMIN = 'U0NOTADMIN1';
export const ADMIN_CHANNEL = 'C0ADMINS01';
export const SIGNING_SECRET = 'e2e-signing-secret';

export const DEMO_USERS: EmulatedUser[] = [
  { id: ADMIN_A, name: 'alice', real_name: 'Alice Admin', email: 'alice.admin@contoso.com' },
  { id: ADMIN_B, name: 'bob', real_name: 'Bob Admin', email: 'bob.admin@contoso.com' },
  { id: NON_ADMIN, name: 'nina', real_name: 'Nina Curious', email: 'nina.curious@contoso.com' },
  { id: 'U0MEERA001', name: 'meera', real_name: 'Meera Desai', email: 'meera.desai@contoso.com' },
];

/** The block_id of the block holding the element `actionId` with `value`. */
function blockIdOf(blocks: unknown[], actionId: string, value: string): string | undefined {
  type Element = { action_id?: string; value?: string };
  const block = (blocks as Array<{ block_id?: string; accessory?: Element; elements?: Element[] }>).find(
    (b) => (b.accessory?.action_id === actionId && b.accessory.value === value) || b.elements?.some((e) => e.action_id === actionId && e.value === value),
  );
  return block?.block_id;
}

/** Collects what the bot logs, so a test can check that nothing secret was logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    };
  let level = 'info';
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  } as unknown as Logger & { lines: string[] };
}

export interface TestBot {
  bot: RunningBot;
  config: Config;
  emulator: SlackEmulator;
  database: Database;
  /** The database's DATABASE_URL. */
  databaseUrl: string;
  target: SlackRequestTarget;
  logger: Logger & { lines: string[] };
  now(): Date;
  setNow(date: Date): void;
  /** Runs /purchases as `user` in `channel` and returns what the bot answered on the response_url. */
  command(user: string, text: string, channel?: string): Promise<{ status: number; replies: Array<Record<string, unknown>> }>;
  interact(payload: Record<string, unknown>): ReturnType<typeof sendInteraction>;
  /**
   * `user` clicks `actionId` (with `value`, when several elements share the action) on the newest
   * ephemeral message they can see that has it; returns what the bot answered on its response_url.
   */
  clickEphemeral(user: string, actionId: string, value?: string): Promise<{ status: number; replies: Array<Record<string, unknown>> }>;
  /** `user` opens the app's Home tab; returns what the bot published there. */
  openHome(user: string): Promise<EmulatedView | undefined>;
  /** `user` clicks `actionId` on their Home tab (`value` when several elements share the action). */
  clickHome(user: string, actionId: string, value?: string): ReturnType<typeof sendInteraction>;
  /** `user` clicks `actionId` with `value` on a message the bot posted in `channel` (the newest that has it). */
  clickChannel(user: string, channel: string, actionId: string, value: string): Promise<{ status: number; replies: Array<Record<string, unknown>> }>;
  close(): Promise<void>;
}

export async function startTestBot(options: {
  provider: TestProvider;
  now?: Date;
  demo?: boolean;
  env?: Record<string, string>;
  users?: EmulatedUser[];
  /** TENANT=microsoft only: run the policy guard at start (off unless asked for). */
  policyGuardAtStart?: boolean;
  /** TENANT=microsoft only: sync the record from the tenant at start (off unless asked for). */
  tenantSyncAtStart?: boolean;
  /** Runs the scheduled jobs as in production (default off: tests call the job functions). */
  scheduler?: boolean;
  /** Changes the database before the bot starts (e.g. state a scheduler finds at start-up). */
  prepare?: (database: Database) => Promise<void>;
  /**
   * Another replica of this bot: the same Slack (its emulator) and the same database, through a
   * Prisma client of its own, as a second process would have; `close()` closes only its own.
   */
  replicaOf?: TestBot;
}): Promise<TestBot> {
  const replicaOf = options.replicaOf;
  const emulator = replicaOf?.emulator ?? (await startSlackEmulator({ users: options.users ?? DEMO_USERS }));
  const created = replicaOf ? undefined : await createTestDatabase(options.provider);
  const databaseUrl = replicaOf?.databaseUrl ?? created!.url;
  const database = created ?? (await createDatabase(databaseUrl, { migrate: false }));
  let now = options.now ?? new Date('2026-11-25T09:00:00Z');
  if (options.demo !== false && !replicaOf) await seedDemoTenant(database.prisma, now);
  await options.prepare?.(database);
  const loaded = loadConfig({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.url,
    ADMIN_USER_IDS: `${ADMIN_A},${ADMIN_B}`,
    ADMIN_CHANNEL_ID: ADMIN_CHANNEL,
    BOT_TIMEZONE: 'UTC',
    ...options.env,
  });
  if (!loaded.ok) throw new Error(loaded.message);
  const logger = recordingLogger();
  const bot = await startBot(loaded.config, {
    database,
    clock: () => now,
    logger,
    retries: 0,
    port: 0,
    outboxWorker: false,
    processBeforeResponse: true,
    policyGuardAtStart: options.policyGuardAtStart ?? false,
    tenantSyncAtStart: options.tenantSyncAtStart ?? false,
    scheduler: options.scheduler ?? false,
  });
  const target: SlackRequestTarget = { url: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret: SIGNING_SECRET, emulator };
  return {
    bot,
    config: loaded.config,
    emulator,
    database,
    databaseUrl,
    target,
    logger,
    now: () => now,
    setNow(date) {
      now = date;
    },
    async command(user, text, channel = 'D0DIRECT01') {
      const before = emulator.responseUrlPosts.length;
      const result = await sendSlashCommand(target, { command: '/purchases', text, user_id: user, channel_id: channel });
      // Only this command's response_url: a replica sharing the emulator may reply to its own at the same time.
      const replies = emulator.responseUrlPosts
        .slice(before)
        .filter((post) => post.url === result.responseUrl)
        .map((post) => post.body);
      const acked = result.json && typeof result.json === 'object' && 'text' in result.json ? [result.json as Record<string, unknown>] : [];
      return { status: result.status, replies: [...acked, ...replies] };
    },
    interact: (payload) => sendInteraction(target, payload),
    async clickEphemeral(user, actionId, value) {
      const has = (blocks: unknown) => {
        const json = JSON.stringify(blocks ?? []);
        return json.includes(`"action_id":"${actionId}"`) && (value === undefined || json.includes(`"value":${JSON.stringify(value)}`));
      };
      const message = [...emulator.ephemeralMessages(user)].reverse().find((m) => has(m.blocks));
      if (!message) throw new Error(`${user} sees no ephemeral message with ${actionId}`);
      const payload = buildBlockActionsPayload(emulator, {
        user_id: user,
        action: { action_id: actionId, ...(value !== undefined ? { value } : {}) },
        message: { channel: message.channel, ts: message.message_ts, ephemeral: true },
      });
      const blockId = value === undefined ? undefined : blockIdOf(message.blocks ?? [], actionId, value);
      if (blockId) (payload.actions as Array<Record<string, unknown>>)[0]!.block_id = blockId;
      const before = emulator.responseUrlPosts.length;
      const result = await sendInteraction(target, payload);
      return { status: result.status, replies: emulator.responseUrlPosts.slice(before).map((post) => post.body) };
    },
    async openHome(user) {
      await sendEvent(target, { type: 'app_home_opened', user, channel: emulator.dmChannel(user), tab: 'home' });
      return emulator.homeView(user);
    },
    clickHome(user, actionId, value) {
      const view = emulator.homeView(user);
      if (!view) throw new Error(`${user} has no Home tab`);
      const blockId = value === undefined ? undefined : blockIdOf(view.blocks, actionId, value);
      return sendInteraction(
        target,
        buildBlockActionsPayload(emulator, {
          user_id: user,
          view,
          action: { action_id: actionId, ...(value !== undefined ? { value } : {}), ...(blockId ? { block_id: blockId } : {}) },
        }),
      );
    },
    async clickChannel(user, channel, actionId, value) {
      const message = [...emulator.messages(channel)].reverse().find((m) => blockIdOf(m.blocks ?? [], actionId, value) !== undefined);
      if (!message) throw new Error(`No message in ${channel} has ${actionId} with ${value}`);
      const payload = buildBlockActionsPayload(emulator, {
        user_id: user,
        action: { action_id: actionId, value, block_id: blockIdOf(message.blocks ?? [], actionId, value)! },
        message: { channel, ts: message.ts },
      });
      const before = emulator.responseUrlPosts.length;
      const result = await sendInteraction(target, payload);
      return { status: result.status, replies: emulator.responseUrlPosts.slice(before).map((post) => post.body) };
    },
    async close() {
      await bot.stop();
      await database.close();
      if (!replicaOf) await emulator.close();
    },
  };
}

/**
 * One bot for a describe block: started before its tests, closed after them, with the
 * emulator's recorded state cleared before each test. The returned object stands for that bot.
 */
export function useTestBot(options: Parameters<typeof startTestBot>[0]): TestBot {
  let current: TestBot | undefined;
  beforeAll(async () => {
    current = await startTestBot(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current?.emulator.reset();
  });
  return new Proxy({} as TestBot, {
    get(_target, key) {
      if (!current) throw new Error('The test bot is used outside the tests of its describe block');
      return Reflect.get(current, key);
    },
  });
}

/** A reply or blocks as one string, for `toContain` checks. */
export const textOf = (value: unknown): string => JSON.stringify(value ?? {});

type ReplyOption = { value: string; text: { text: string } };

/** A block of a reply, typed for reading what the bot sent. */
export type ReplyBlock = {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { type: string; action_id: string; value: string; initial_option?: ReplyOption; options?: ReplyOption[] };
  elements?: Array<{ action_id: string; value: string; text: { text: string }; confirm?: unknown }>;
};

/** The blocks of a reply (none when it has none). */
export function blocksOf(reply: Record<string, unknown> | undefined): ReplyBlock[] {
  return (reply?.blocks as ReplyBlock[] | undefined) ?? [];
}
