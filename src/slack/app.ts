/**
 * Builds the Bolt app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed),
 * otherwise HTTP on PORT with requests verified by SLACK_SIGNING_SECRET at POST /slack/events.
 */
import { App, LogLevel, type Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { SlackDeps } from './deps.js';
import { registerListeners } from './listeners/index.js';
import { authorizeAdmins } from './middleware/authorize.js';

const LOG_LEVELS: Record<Config['LOG_LEVEL'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface SlackAppOptions {
  logger?: Logger;
  /** Tests turn retries off so a failing call fails at once instead of retrying for minutes. */
  retries?: number;
  /**
   * HTTP mode: answer Slack only after the listener finished. Tests use it so a request's
   * effects are complete when its response arrives; production acks first (Slack's 3 s limit).
   */
  processBeforeResponse?: boolean;
}

export function createSlackApp(config: Config, deps: Omit<SlackDeps, 'logger'>, options: SlackAppOptions = {}): App {
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
  };
  const common = {
    token: config.SLACK_BOT_TOKEN,
    clientOptions,
    ...(options.logger ? { logger: options.logger } : { logLevel: LOG_LEVELS[config.LOG_LEVEL] }),
  };
  const app = config.SLACK_APP_TOKEN
    ? new App({ ...common, socketMode: true, appToken: config.SLACK_APP_TOKEN })
    : new App({
        ...common,
        signingSecret: config.SLACK_SIGNING_SECRET ?? '',
        port: config.PORT,
        processBeforeResponse: options.processBeforeResponse ?? false,
      });
  const slackDeps: SlackDeps = { ...deps, logger: app.logger };
  app.use(authorizeAdmins(slackDeps));
  registerListeners(app, slackDeps);
  app.error(async (error) => {
    app.logger.error('Unhandled error in a Slack listener', error);
  });
  return app;
}
