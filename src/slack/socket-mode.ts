/**
 * Socket Mode, watched. The bot opens its connection to Slack with SLACK_APP_TOKEN, and
 * @slack/socket-mode reconnects by itself, but says why only in its own terms ("An API error
 * occurred: invalid_auth", or nothing at all while it retries). Here a token Slack refuses stops
 * start-up with a sentence naming SLACK_APP_TOKEN, and a connection that keeps failing is logged
 * with its reason and what to check, at growing intervals, instead of looping silently.
 */
import { SocketModeReceiver, type Logger, type webApi } from '@slack/bolt';
import { AppError } from '../domain/errors.js';

export const SOCKET_MODE_CHECKS =
  'Check that SLACK_APP_TOKEN is an app-level token with the connections:write scope (Basic Information → App-Level Tokens), ' +
  "that Socket Mode is on in the app's settings, and that this machine may open connections to slack.com and wss-primary.slack.com on port 443 (proxy, firewall).";

/** Slack's answers that mean the token itself is refused: retrying cannot help. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'team_disabled',
  'user_removed_from_team',
]);

function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(error: unknown): string {
  return slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

/** What opening the Socket Mode connection at start-up threw, as a sentence an admin can act on. */
export function socketModeStartError(error: unknown): AppError {
  const code = slackErrorCode(error);
  if (code && REFUSED_TOKEN.has(code)) {
    return new AppError(
      'bad_input',
      `apps.connections.open refused the app token: ${code}`,
      `Slack refused SLACK_APP_TOKEN (${code}). Generate a new app-level token with the connections:write scope under Basic Information → App-Level Tokens, put it in SLACK_APP_TOKEN, and check that Socket Mode is on in the app's settings. To run in HTTP mode instead, leave SLACK_APP_TOKEN empty and set SLACK_SIGNING_SECRET.`,
      { cause: error },
    );
  }
  return new AppError(
    'tenant_unavailable',
    `Socket Mode could not connect: ${reasonOf(error)}`,
    `The bot could not open its Socket Mode connection to Slack (${reasonOf(error)}). ${SOCKET_MODE_CHECKS}`,
    { cause: error },
  );
}

/** 1st, 2nd, 4th, 8th… failure in a row: often at first, then less and less. */
function worthLogging(attempt: number): boolean {
  return (attempt & (attempt - 1)) === 0;
}

export interface ConnectionRetryOptions {
  /** The first wait; it doubles with each failure, up to maxMs. */
  minMs?: number;
  maxMs?: number;
}

/**
 * How apps.connections.open is retried (network errors, HTTP errors, 429s): forever, waiting twice
 * as long each time up to five minutes, each failure logged with its reason and the next wait.
 */
export function connectionRetries(logger: () => Logger, options: ConnectionRetryOptions = {}): webApi.RetryOptions {
  const minMs = options.minMs ?? 1000;
  const maxMs = options.maxMs ?? 5 * 60_000;
  const policy = {
    forever: true,
    retries: 10,
    factor: 2,
    minTimeout: minMs,
    maxTimeout: maxMs,
    randomize: false,
    // Read by p-retry, which @slack/web-api hands this object to; RetryOptions does not declare it.
    onFailedAttempt(error: Error & { attemptNumber?: number }) {
      const attempt = error.attemptNumber ?? 1;
      const waitMs = Math.min(maxMs, minMs * 2 ** Math.min(attempt - 1, 10));
      logger().warn(
        `Socket Mode: cannot reach Slack to open the connection (attempt ${attempt}: ${reasonOf(error)}); trying again in ${Math.round(waitMs / 1000)} s. ${SOCKET_MODE_CHECKS}`,
      );
    },
  };
  return policy as webApi.RetryOptions;
}

/**
 * Logs the connection's failures and recoveries: @slack/socket-mode emits `reconnecting` before each
 * new attempt, `error` when the WebSocket fails and `connected` once Slack said hello.
 */
export function watchSocketMode(client: Pick<SocketModeReceiver['client'], 'on'>, logger: () => Logger): void {
  let failures = 0;
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    const cause = (error as { original?: unknown }).original ?? error;
    lastError = reasonOf(cause);
  });
  client.on('reconnecting', () => {
    failures += 1;
    if (!worthLogging(failures)) return;
    const why = lastError ? ` (last error: ${lastError})` : '';
    logger().warn(
      `Socket Mode: not connected to Slack; reconnecting, attempt ${failures}${why}. Commands and buttons do not reach the bot meanwhile. ${SOCKET_MODE_CHECKS}`,
    );
  });
  client.on('connected', () => {
    if (failures > 0) logger().info(`Socket Mode: connected to Slack again after ${failures} attempt${failures === 1 ? '' : 's'}.`);
    failures = 0;
    lastError = undefined;
  });
}

export interface SocketModeOptions {
  appToken: string;
  /** Where the Web API is (SLACK_API_URL): apps.connections.open goes there too. */
  slackApiUrl?: string | undefined;
  logger?: Logger;
  logLevel?: Parameters<Logger['setLevel']>[0];
  /** Tests shorten the waits; production keeps @slack/socket-mode's and connectionRetries' own. */
  clientPingTimeoutMs?: number;
  retry?: ConnectionRetryOptions;
}

/** The Socket Mode receiver, its retries logged and its connection watched through `logger()`. */
export function createSocketModeReceiver(options: SocketModeOptions, logger: () => Logger): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.clientPingTimeoutMs !== undefined ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
    installerOptions: {
      clientOptions: {
        ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
        retryConfig: connectionRetries(logger, options.retry),
      },
    },
  });
  watchSocketMode(receiver.client, logger);
  settleReconnects(receiver.client, logger);
  return receiver;
}

/**
 * @slack/socket-mode starts each reconnect attempt with `start()` and never handles its promise.
 * One still waiting when the bot stops is rejected with nothing, which would end the process at
 * shutdown as an "unhandled rejection: undefined"; one that fails for good (the token was revoked)
 * would end it with Slack's bare error code. The first start (app.start) keeps its own rejection.
 */
function settleReconnects(client: SocketModeReceiver['client'], logger: () => Logger): void {
  const start = client.start.bind(client);
  let first = true;
  client.start = async () => {
    if (first) {
      first = false;
      return start();
    }
    try {
      return await start();
    } catch (error) {
      if (error === undefined) return undefined as never;
      logger().error(`Socket Mode gave up reconnecting: ${socketModeStartError(error).userMessage} Then restart the bot.`);
      throw error;
    }
  };
}
