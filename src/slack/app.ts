/**
 * Builds the Bolt app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed),
 * otherwise HTTP on PORT with requests verified by SLACK_SIGNING_SECRET at POST /slack/events.
 */
import { App, LogLevel, webApi, type Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { SlackDeps } from './deps.js';
import { registerListeners } from './listeners/index.js';
import { authorizeAdmins } from './middleware/authorize.js';
import { createSocketModeReceiver, type SocketModeOptions } from './socket-mode.js';
import { refuseForeignOrigin } from './origin.js';
import type { HealthReport } from '../health.js';
import { SlackHttpReceiver } from './receiver.js';
import { interactiveClientOptions, slackFetch } from './slack-http.js';

const LOG_LEVELS: Record<Config['LOG_LEVEL'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface SlackAppOptions {
  logger?: Logger;
  /** Retries of a failed Web API call (default one, at once); tests turn them off. */
  retries?: number;
  /** Aborted when the bot stops: every Slack call in flight gives up. */
  shutdown?: AbortSignal;
  /**
   * HTTP mode: answer Slack only after the listener finished. Tests use it so a request's
   * effects are complete when its response arrives; production acks first (Slack's 3 s limit).
   */
  processBeforeResponse?: boolean;
  /** The bot's identity, verified by `verifyBotToken` at start-up (so Bolt need not check it again). */
  identity?: { botId?: string; botUserId?: string };
  /** Socket Mode only: shorter waits between connection attempts (tests). */
  socketMode?: Pick<SocketModeOptions, 'clientPingTimeoutMs' | 'retry'>;
  /** HTTP mode: what GET /healthz answers. */
  health?: () => Promise<HealthReport>;
}

export function createSlackApp(config: Config, deps: Omit<SlackDeps, 'logger'>, options: SlackAppOptions = {}): App {
  const clientOptions = interactiveClientOptions({
    apiUrl: config.SLACK_API_URL,
    timeoutMs: config.SLACK_HTTP_TIMEOUT_MS,
    shutdown: options.shutdown,
    retries: options.retries,
  });
  const common = {
    token: config.SLACK_BOT_TOKEN,
    clientOptions,
    ...(options.identity
      ? {
          tokenVerificationEnabled: false,
          ...(options.identity.botId ? { botId: options.identity.botId } : {}),
          ...(options.identity.botUserId ? { botUserId: options.identity.botUserId } : {}),
        }
      : {}),
    ...(options.logger ? { logger: options.logger } : { logLevel: LOG_LEVELS[config.LOG_LEVEL] }),
  };
  const socketMode = (appToken: string) =>
    createSocketModeReceiver(
      {
        appToken,
        slackApiUrl: config.SLACK_API_URL,
        ...(options.logger ? { logger: options.logger } : { logLevel: LOG_LEVELS[config.LOG_LEVEL] }),
        ...options.socketMode,
      },
      () => app.logger,
    );
  const expected = { teamId: config.SLACK_TEAM_ID, appId: config.SLACK_APP_ID };
  const app: App = config.SLACK_APP_TOKEN
    ? new App({ ...common, receiver: socketMode(config.SLACK_APP_TOKEN) })
    : new App({
        ...common,
        receiver: new SlackHttpReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET ?? '',
          processBeforeResponse: options.processBeforeResponse ?? false,
          expected,
          ...(options.health ? { health: options.health } : {}),
        }),
      });
  const slackDeps: SlackDeps = { ...deps, logger: app.logger };
  // Socket Mode: other workspaces and apps are refused here (in HTTP mode the receiver refuses them before Bolt sees the request).
  if (config.SLACK_APP_TOKEN) app.use(refuseForeignOrigin(expected));
  app.use(authorizeAdmins(slackDeps));
  registerListeners(app, slackDeps);
  app.error(async (error) => {
    app.logger.error('Unhandled error in a Slack listener', error);
  });
  return app;
}

/**
 * Checks the bot token with auth.test before anything starts, so a wrong token or an
 * unreachable Slack stops start-up with a sentence instead of failing on the first command.
 */
export async function verifyBotToken(config: Config, retries?: number): Promise<{ botId?: string; botUserId?: string }> {
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    fetch: slackFetch(config.SLACK_HTTP_TIMEOUT_MS),
    retryConfig: { retries: retries ?? 2 },
  });
  try {
    const auth = await client.auth.test();
    return { ...(auth.bot_id ? { botId: auth.bot_id } : {}), ...(auth.user_id ? { botUserId: auth.user_id } : {}) };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code) {
      throw new AppError(
        'bad_input',
        `auth.test refused the bot token: ${code}`,
        `Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) again from your app's OAuth & Permissions page, and reinstall the app if it was uninstalled.`,
        { cause: error },
      );
    }
    throw new AppError(
      'tenant_unavailable',
      'cannot reach Slack',
      `Cannot reach Slack at ${config.SLACK_API_URL ?? 'https://slack.com/api/'}: ${(error as Error).message}. Check the network or proxy, or SLACK_API_URL.`,
      { cause: error },
    );
  }
}
