/**
 * The HTTP core both Microsoft clients use (the licensing endpoint and Microsoft Graph): one
 * token per scope shared by concurrent calls, a correlation id per call, a timeout per
 * request, retries of 429/502/503/504 as Retry-After says (or exponential back-off) within
 * maxRetries and a total-wait cap, JSON parsing, paging that follows `@odata.nextLink` as a
 * whole URL to the same origin only, and AppErrors whose userMessage tells the admin what to
 * do. Tokens and headers are never logged: log entries carry method, path, status, attempt
 * and correlation id only.
 */
import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** 429 and 503 are what Microsoft sends when throttling; 502/504 are gateways timing out. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Which Microsoft service a client talks to, and how to speak of it to an admin. */
export interface MicrosoftService<P extends string> {
  /** Prefix of the log events: `<log>.response`, `<log>.retry`, `<log>.failure`. */
  log: P;
  /** The service in a sentence, e.g. "the Microsoft licensing service" or "Microsoft Graph". */
  name: string;
  /** The service after "the bot's requests to", e.g. "the licensing service". */
  shortName: string;
  /** The OAuth scope of its tokens. */
  scope: string;
  /** The request header that carries the correlation id. */
  correlationHeader: string;
  /** What to suggest when the service answers something unexpected. */
  unexpectedAdvice: string;
}

export interface HttpLogEntry<P extends string> {
  level: 'debug' | 'warn';
  event: `${P}.response` | `${P}.retry` | `${P}.failure`;
  method: string;
  /** Path and query only: never the host's credentials, never a header. */
  path: string;
  correlationId: string;
  attempt: number;
  status?: number;
  durationMs?: number;
  waitMs?: number;
  reason?: string;
}

export interface HttpClientOptions<P extends string> {
  service: MicrosoftService<P>;
  baseUrl: string;
  credential: TokenCredential;
  timeoutMs: number;
  maxRetries: number;
  /** Upper bound on the time spent waiting between retries of one call. */
  maxTotalWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (entry: HttpLogEntry<P>) => void;
}

export interface HttpCall {
  method: 'GET' | 'PUT' | 'POST';
  url: string;
  body?: unknown;
  /** What a 401/403 means for this call: the permission to grant, for the admin. */
  forbidden: (status: number) => string;
  /** What a 404 means for this call; without it a 404 is a refusal like any other 4xx. */
  notFound?: string;
}

/** The error Microsoft sent with a refusal: Graph's `{ error: { code, message } }` and kin. */
export interface ServiceError {
  code?: string;
  message: string;
}

/**
 * How one call ended. `refused` is a 4xx/5xx that retrying does not fix; `gave_up` is a
 * throttled or unavailable service that still said no after every retry. Both carry the
 * AppError that `send` throws for them.
 */
export type HttpOutcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'refused'; status: number; serviceError: ServiceError; error: AppError }
  | { kind: 'gave_up'; status: number; error: AppError };

export interface HttpClient {
  readonly baseUrl: string;
  /** One call with its retries; throws AppError when the service cannot be reached or answers non-JSON. */
  exchange(call: HttpCall, correlationId?: string): Promise<HttpOutcome>;
  /** `exchange`, throwing the AppError of anything but a 2xx. */
  send(call: HttpCall, correlationId?: string): Promise<unknown>;
  /** `send`, then the body checked with `schema`; another shape is an AppError. */
  sendValidated<T extends z.ZodType>(call: HttpCall, schema: T, correlationId?: string): Promise<z.output<T>>;
  /**
   * Every page of a listing, each checked with `pageSchema`, following `@odata.nextLink` as
   * a whole URL and only to the base URL's origin (the token must not leave it).
   */
  pages<T extends z.ZodType<{ '@odata.nextLink'?: string | undefined }>>(
    firstUrl: string,
    pageSchema: T,
    options: { forbidden: HttpCall['forbidden']; maxPages: number },
  ): AsyncGenerator<z.output<T>>;
  /** The admin's message for an answer of the wrong shape. */
  unexpected(correlationId: string): string;
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Pulls code and human message out of an error body: {error:{code,message}}, {message}, {Message} or text. */
export function parseServiceError(text: string): ServiceError {
  let message = text;
  let code: string | undefined;
  try {
    const body: unknown = JSON.parse(text);
    const parsed = z
      .object({
        error: z.object({ code: z.string().optional(), message: z.string() }).optional(),
        message: z.string().optional(),
        Message: z.string().optional(),
      })
      .safeParse(body);
    if (parsed.success) {
      message = parsed.data.error?.message ?? parsed.data.message ?? parsed.data.Message ?? text;
      code = parsed.data.error?.code;
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  message = message.replace(/\s+/g, ' ').trim();
  if (message.length > 300) message = `${message.slice(0, 297)}...`;
  return code === undefined ? { message } : { code, message };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function createHttpClient<P extends string>(options: HttpClientOptions<P>): HttpClient {
  const { service } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const maxTotalWaitMs = options.maxTotalWaitMs ?? 60_000;
  const Name = capitalized(service.name);
  const event = (kind: 'response' | 'retry' | 'failure') => `${service.log}.${kind}` as const;

  function unexpected(correlationId: string): string {
    return `${Name} answered something unexpected (ref ${correlationId}). ${service.unexpectedAdvice}`;
  }

  /**
   * Concurrent calls share one getToken: the credential caches a token once it has one, but
   * calls made together before that would each ask Entra ID for their own.
   */
  let pendingToken: Promise<AccessToken | null> | undefined;
  function getToken(): Promise<AccessToken | null> {
    pendingToken ??= options.credential.getToken(service.scope, { abortSignal: AbortSignal.timeout(options.timeoutMs) }).finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  async function bearerToken(correlationId: string): Promise<string> {
    let token: Awaited<ReturnType<typeof getToken>>;
    try {
      token = await getToken();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // Entra ID answered and refused (invalid_client, unknown app, expired secret...).
      if (error instanceof Error && (error.name === 'AuthenticationError' || error.name === 'AuthenticationRequiredError')) {
        throw new AppError(
          'tenant_forbidden',
          `Microsoft Entra ID refused the client credentials (ref ${correlationId}): ${detail}`,
          "Microsoft Entra ID refused the bot's sign-in. Check MS_TENANT_ID, MS_CLIENT_ID and the client secret or certificate of the app registration (it may have expired).",
          { cause: error },
        );
      }
      throw new AppError(
        'tenant_unavailable',
        `Could not get a token for ${service.name} (ref ${correlationId}): ${detail}`,
        'The bot could not sign in to Microsoft Entra ID right now. Try again in a few minutes.',
        { cause: error },
      );
    }
    if (!token) {
      throw new AppError(
        'tenant_forbidden',
        `The credential returned no token for ${service.scope} (ref ${correlationId})`,
        'The bot could not sign in to Microsoft Entra ID. Check MS_TENANT_ID, MS_CLIENT_ID and the client secret or certificate.',
      );
    }
    return token.token;
  }

  function backoff(attempt: number): number {
    return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  }

  function parseJson(text: string, call: HttpCall, path: string, correlationId: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new AppError(
        'tenant_unavailable',
        `${call.method} ${path} answered with a body that is not JSON (ref ${correlationId}): ${text.slice(0, 200)}`,
        unexpected(correlationId),
        { cause: error },
      );
    }
  }

  function gaveUp(status: number, call: HttpCall, path: string, correlationId: string, attempt: number, waitedMs: number, retryAfter?: number): AppError {
    const tries = `${attempt + 1} ${attempt === 0 ? 'try' : 'tries'}`;
    const later = retryAfter !== undefined ? `Try again in ${seconds(retryAfter)}.` : 'Try again in a few minutes.';
    const what = status === 429 ? `Microsoft is throttling the bot's requests to ${service.shortName}` : `${Name} is unavailable (HTTP ${status})`;
    return new AppError(
      'tenant_unavailable',
      `${call.method} ${path} gave up after ${tries} and ${waitedMs} ms of waiting: HTTP ${status} (ref ${correlationId})`,
      `${what}; the bot gave up after ${tries}. ${later} (ref ${correlationId})`,
    );
  }

  function refused(status: number, serviceError: ServiceError, call: HttpCall, path: string, correlationId: string): AppError {
    const detail = serviceError.message;
    const internal = `${call.method} ${path} answered HTTP ${status} (ref ${correlationId}): ${detail}`;
    if (status === 401 || status === 403) return new AppError('tenant_forbidden', internal, call.forbidden(status));
    if (status === 404 && call.notFound) return new AppError('not_found', internal, call.notFound);
    if (status >= 400 && status < 500) {
      return new AppError('tenant_rejected', internal, `${Name} refused the request (HTTP ${status})${detail ? `: ${detail}` : ''} (ref ${correlationId})`);
    }
    return new AppError('tenant_unavailable', internal, `${Name} failed (HTTP ${status}). Try again in a few minutes. (ref ${correlationId})`);
  }

  async function exchange(call: HttpCall, correlationId = randomUUID()): Promise<HttpOutcome> {
    const url = new URL(call.url);
    const path = `${url.pathname}${url.search}`;
    let waitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      const token = await bearerToken(correlationId);
      const started = now();
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: call.method,
          headers: {
            Authorization: `Bearer ${token}`,
            [service.correlationHeader]: correlationId,
            Accept: 'application/json',
            ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        log({ level: 'warn', event: event('failure'), method: call.method, path, correlationId, attempt, reason });
        if (isTimeout(error)) {
          throw new AppError(
            'tenant_unavailable',
            `${call.method} ${path} timed out after ${options.timeoutMs} ms (ref ${correlationId})`,
            `${Name} did not answer within ${seconds(options.timeoutMs)} (ref ${correlationId}). Try again in a few minutes.`,
            { cause: error },
          );
        }
        const wait = backoff(attempt);
        if (attempt < options.maxRetries && waitedMs + wait <= maxTotalWaitMs) {
          log({ level: 'warn', event: event('retry'), method: call.method, path, correlationId, attempt, waitMs: wait, reason });
          waitedMs += wait;
          await sleep(wait);
          continue;
        }
        throw new AppError(
          'tenant_unavailable',
          `${call.method} ${path} failed (ref ${correlationId}): ${reason}`,
          `The bot could not reach ${service.name} (ref ${correlationId}). Try again in a few minutes.`,
          { cause: error },
        );
      }
      const status = response.status;
      log({ level: 'debug', event: event('response'), method: call.method, path, correlationId, attempt, status, durationMs: now() - started });

      if (response.ok) return { kind: 'ok', body: parseJson(text, call, path, correlationId) };

      if (RETRYABLE_STATUS.has(status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        const wait = retryAfter ?? backoff(attempt);
        if (attempt < options.maxRetries && waitedMs + wait <= maxTotalWaitMs) {
          log({ level: 'warn', event: event('retry'), method: call.method, path, correlationId, attempt, status, waitMs: wait });
          waitedMs += wait;
          await sleep(wait);
          continue;
        }
        return { kind: 'gave_up', status, error: gaveUp(status, call, path, correlationId, attempt, waitedMs, retryAfter) };
      }
      const serviceError = parseServiceError(text);
      return { kind: 'refused', status, serviceError, error: refused(status, serviceError, call, path, correlationId) };
    }
  }

  async function send(call: HttpCall, correlationId = randomUUID()): Promise<unknown> {
    const outcome = await exchange(call, correlationId);
    if (outcome.kind === 'ok') return outcome.body;
    throw outcome.error;
  }

  async function sendValidated<T extends z.ZodType>(call: HttpCall, schema: T, correlationId = randomUUID()): Promise<z.output<T>> {
    const body = await send(call, correlationId);
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new AppError(
      'tenant_unavailable',
      `${call.method} ${call.url} answered an unexpected shape (ref ${correlationId}): ${z.prettifyError(parsed.error)}`,
      unexpected(correlationId),
    );
  }

  async function* pages<T extends z.ZodType<{ '@odata.nextLink'?: string | undefined }>>(
    firstUrl: string,
    pageSchema: T,
    { forbidden, maxPages }: { forbidden: HttpCall['forbidden']; maxPages: number },
  ): AsyncGenerator<z.output<T>> {
    const correlationId = randomUUID();
    let next: string | undefined = firstUrl;
    for (let page = 0; next !== undefined; page++) {
      if (page === maxPages) {
        throw new AppError('tenant_unavailable', `Gave up paging ${firstUrl} after ${maxPages} pages (ref ${correlationId})`, unexpected(correlationId));
      }
      const body: z.output<T> = await sendValidated({ method: 'GET', url: next, forbidden }, pageSchema, correlationId);
      yield body;
      next = body['@odata.nextLink'];
      if (next === undefined) break;
      const resolved: URL = new URL(next, baseUrl);
      // The token goes only to the service's host, whatever a page says.
      if (resolved.origin !== origin) {
        throw new AppError(
          'tenant_unavailable',
          `Refused to follow @odata.nextLink to another host: ${resolved.origin} (ref ${correlationId})`,
          unexpected(correlationId),
        );
      }
      next = resolved.toString();
    }
  }

  return { baseUrl, exchange, send, sendValidated, pages, unexpected };
}
