/**
 * How the bot calls Slack. Every call has a deadline (SLACK_HTTP_TIMEOUT_MS), and every call in
 * flight is aborted when the bot stops, so neither a Slack that never answers nor a shutdown
 * waits on it. Calls made while someone waits for an answer (listeners) retry at most once, at
 * once, and turn a 429 into an error instead of sleeping through Retry-After; the outbox retries
 * on its own schedule, in the database, so its calls never retry by themselves.
 */
import { webApi } from '@slack/bolt';

type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>;

export interface SlackCallSettings {
  /** SLACK_API_URL */
  apiUrl?: string | undefined;
  /** SLACK_HTTP_TIMEOUT_MS: the longest one call may take. */
  timeoutMs: number;
  /** Aborted when the bot stops. */
  shutdown?: AbortSignal | undefined;
}

/** fetch with a deadline, aborted on shutdown: for the Web API, response_urls and uploads. */
export function slackFetch(timeoutMs: number, shutdown?: AbortSignal): typeof fetch {
  return (input, init = {}) => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : []), ...(shutdown ? [shutdown] : [])];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
}

function common(settings: SlackCallSettings): WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    fetch: slackFetch(settings.timeoutMs, settings.shutdown),
  };
}

/**
 * For Bolt's client (listeners, App Home): one quick retry of a failed call, no waiting out a
 * rate limit: a trigger_id lives three seconds and an admin is waiting.
 */
export function interactiveClientOptions(settings: SlackCallSettings & { retries?: number | undefined }): WebClientOptions {
  return {
    ...common(settings),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: settings.retries ?? 1, factor: 1, minTimeout: 300, maxTimeout: 300 },
  };
}

/** For the outbox: no retries and no sleeping on 429 (the outbox reschedules in the database). */
export function outboxClient(token: string, settings: SlackCallSettings): webApi.WebClient {
  return new webApi.WebClient(token, { ...common(settings), rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
}
