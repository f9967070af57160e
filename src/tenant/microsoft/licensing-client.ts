/**
 * The AllowSelfServicePurchase policy over the licensing endpoint that the MSCommerce
 * PowerShell module calls (https://licensing.m365.microsoft.com/v1.0/policies/...).
 * Every answer is checked with zod, throttling is retried within a bound, and every failure
 * becomes an AppError whose userMessage tells the admin what to do. Tokens and headers are
 * never logged: log entries carry method, path, status, attempt and correlation id only.
 */
import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { OFFER_TYPES, POLICY_VALUES, type OfferType, type PolicyValue } from '../../domain/policy.js';
import { LICENSE_MANAGER_APP_ID, LICENSING_SCOPE } from './token.js';

const POLICY_PATH = '/v1.0/policies/AllowSelfServicePurchase';
const MAX_PAGES = 100;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** 429 and 503 are what the service sends when throttling; 502/504 are gateways timing out. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface ProductPolicyItem {
  policyId: string;
  policyValue: PolicyValue;
  productName: string;
  productId: string;
}

export interface OfferTypePolicyItem {
  policyId?: string;
  offerType: OfferType;
  policyValue: PolicyValue;
}

export interface LicensingClient {
  listProducts(): Promise<ProductPolicyItem[]>;
  listOfferTypes(): Promise<OfferTypePolicyItem[]>;
  getProduct(productId: string): Promise<ProductPolicyItem>;
  putProduct(productId: string, value: PolicyValue): Promise<ProductPolicyItem>;
  getOfferType(offerType: OfferType): Promise<OfferTypePolicyItem>;
  putOfferType(offerType: OfferType, value: PolicyValue): Promise<OfferTypePolicyItem>;
}

export interface LicensingLogEntry {
  level: 'debug' | 'warn';
  event: 'licensing.response' | 'licensing.retry' | 'licensing.failure';
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

export interface LicensingClientOptions {
  baseUrl: string;
  credential: TokenCredential;
  timeoutMs: number;
  maxRetries: number;
  /** Upper bound on the time spent waiting between retries of one call. */
  maxTotalWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (entry: LicensingLogEntry) => void;
}

const productItemSchema = z.object({
  policyId: z.string(),
  policyValue: z.enum(POLICY_VALUES),
  productName: z.string(),
  productId: z.string().min(1),
});

function canonicalOfferType(value: string | undefined): OfferType | undefined {
  return OFFER_TYPES.find((type) => type.toLowerCase() === value?.toLowerCase());
}

function asPolicyValue(value: string | undefined): PolicyValue | undefined {
  return POLICY_VALUES.find((policyValue) => policyValue === value);
}

/**
 * Offer-type items carry `scope`, `scopeId` and `scopeValue`. Which of them holds the offer
 * type and which the value is not documented, so both readings are accepted: the offer type
 * is whichever of scopeId/scopeValue names one, the value is policyValue or else scopeValue.
 */
const offerTypeItemSchema = z
  .object({
    policyId: z.string().optional(),
    scope: z.string(),
    scopeId: z.string(),
    scopeValue: z.string().optional(),
    policyValue: z.string().optional(),
  })
  .transform((item, ctx): OfferTypePolicyItem => {
    const offerType = canonicalOfferType(item.scopeId) ?? canonicalOfferType(item.scopeValue);
    const policyValue = asPolicyValue(item.policyValue) ?? asPolicyValue(item.scopeValue);
    if (!offerType || !policyValue) {
      ctx.addIssue({ code: 'custom', message: `offer type item without a known offer type and value: ${JSON.stringify(item)}` });
      return z.NEVER;
    }
    return { ...(item.policyId ? { policyId: item.policyId } : {}), offerType, policyValue };
  });

function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), '@odata.nextLink': z.string().optional() });
}

type Access = 'read' | 'write';

interface Call {
  method: 'GET' | 'PUT';
  url: string;
  body?: unknown;
  access: Access;
  /** What a 404 means for this call; without it a 404 is a rejection like any other 4xx. */
  notFound?: string;
}

function forbiddenMessage(access: Access, status: number): string {
  const role = access === 'write' ? 'Policy.ReadWrite.AllowSelfServicePurchase' : 'Policy.Read.AllowSelfServicePurchase (or Policy.ReadWrite.AllowSelfServicePurchase)';
  const what = access === 'write' ? 'change' : 'read';
  return (
    `Microsoft refused to let the bot ${what} the self-service purchase policy (HTTP ${status}). ` +
    `The bot's app registration needs the application permission ${role} on the "M365 License Manager" API ` +
    `(${LICENSE_MANAGER_APP_ID}), with admin consent granted. ` +
    'If the bot signs in as a user instead, that user needs the Billing Administrator or Global Administrator role.'
  );
}

function unexpectedMessage(correlationId: string): string {
  return (
    `The Microsoft licensing service answered something unexpected (ref ${correlationId}). ` +
    'Try again later; if it keeps happening, check the policy in the Microsoft 365 admin center.'
  );
}

/** Pulls the human part out of an error body: {error:{message}}, {message}, {Message} or text. */
function serviceMessage(text: string): string {
  let message = text;
  try {
    const body: unknown = JSON.parse(text);
    const parsed = z
      .object({
        error: z.object({ message: z.string() }).optional(),
        message: z.string().optional(),
        Message: z.string().optional(),
      })
      .safeParse(body);
    if (parsed.success) message = parsed.data.error?.message ?? parsed.data.message ?? parsed.data.Message ?? text;
  } catch {
    // Not JSON: the text itself is the message.
  }
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

export function createLicensingClient(options: LicensingClientOptions): LicensingClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const maxTotalWaitMs = options.maxTotalWaitMs ?? 60_000;

  /**
   * Concurrent calls share one getToken: the credential caches a token once it has one, but
   * calls made together before that (listPolicies reads products and offer types at once)
   * would each ask Entra ID for their own.
   */
  let pendingToken: Promise<AccessToken | null> | undefined;
  function getToken(): Promise<AccessToken | null> {
    pendingToken ??= options.credential
      .getToken(LICENSING_SCOPE, { abortSignal: AbortSignal.timeout(options.timeoutMs) })
      .finally(() => {
        pendingToken = undefined;
      });
    return pendingToken;
  }

  async function bearerToken(correlationId: string): Promise<string> {
    let token;
    try {
      token = await getToken();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // Entra ID answered and refused (invalid_client, unknown app, expired secret...).
      if (error instanceof Error && (error.name === 'AuthenticationError' || error.name === 'AuthenticationRequiredError')) {
        throw new AppError(
          'tenant_forbidden',
          `Microsoft Entra ID refused the client credentials (ref ${correlationId}): ${detail}`,
          'Microsoft Entra ID refused the bot\'s sign-in. Check MS_TENANT_ID, MS_CLIENT_ID and the client secret or certificate of the app registration (it may have expired).',
          { cause: error },
        );
      }
      throw new AppError(
        'tenant_unavailable',
        `Could not get a token for the licensing service (ref ${correlationId}): ${detail}`,
        'The bot could not sign in to Microsoft Entra ID right now. Try again in a few minutes.',
        { cause: error },
      );
    }
    if (!token) {
      throw new AppError(
        'tenant_forbidden',
        `The credential returned no token for ${LICENSING_SCOPE} (ref ${correlationId})`,
        'The bot could not sign in to Microsoft Entra ID. Check MS_TENANT_ID, MS_CLIENT_ID and the client secret or certificate.',
      );
    }
    return token.token;
  }

  /** One request, retried on throttling within maxRetries and maxTotalWaitMs under one correlation id. */
  async function send(call: Call, correlationId: string): Promise<unknown> {
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
            'x-ms-correlation-id': correlationId,
            Accept: 'application/json',
            ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        log({ level: 'warn', event: 'licensing.failure', method: call.method, path, correlationId, attempt, reason });
        if (isTimeout(error)) {
          throw new AppError(
            'tenant_unavailable',
            `${call.method} ${path} timed out after ${options.timeoutMs} ms (ref ${correlationId})`,
            `The Microsoft licensing service did not answer within ${seconds(options.timeoutMs)} (ref ${correlationId}). Try again in a few minutes.`,
            { cause: error },
          );
        }
        const wait = backoff(attempt);
        if (attempt < options.maxRetries && waitedMs + wait <= maxTotalWaitMs) {
          log({ level: 'warn', event: 'licensing.retry', method: call.method, path, correlationId, attempt, waitMs: wait, reason });
          waitedMs += wait;
          await sleep(wait);
          continue;
        }
        throw new AppError(
          'tenant_unavailable',
          `${call.method} ${path} failed (ref ${correlationId}): ${reason}`,
          `The bot could not reach the Microsoft licensing service (ref ${correlationId}). Try again in a few minutes.`,
          { cause: error },
        );
      }
      const status = response.status;
      log({ level: 'debug', event: 'licensing.response', method: call.method, path, correlationId, attempt, status, durationMs: now() - started });

      if (response.ok) return parseJson(text, call, path, correlationId);

      if (RETRYABLE_STATUS.has(status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        const wait = retryAfter ?? backoff(attempt);
        if (attempt < options.maxRetries && waitedMs + wait <= maxTotalWaitMs) {
          log({ level: 'warn', event: 'licensing.retry', method: call.method, path, correlationId, attempt, status, waitMs: wait });
          waitedMs += wait;
          await sleep(wait);
          continue;
        }
        throw gaveUp(status, call, path, correlationId, attempt, waitedMs, retryAfter);
      }
      throw rejected(status, text, call, path, correlationId);
    }
  }

  function backoff(attempt: number): number {
    return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  }

  function parseJson(text: string, call: Call, path: string, correlationId: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new AppError(
        'tenant_unavailable',
        `${call.method} ${path} answered with a body that is not JSON (ref ${correlationId}): ${text.slice(0, 200)}`,
        unexpectedMessage(correlationId),
        { cause: error },
      );
    }
  }

  function gaveUp(status: number, call: Call, path: string, correlationId: string, attempt: number, waitedMs: number, retryAfter?: number): AppError {
    const tries = `${attempt + 1} ${attempt === 0 ? 'try' : 'tries'}`;
    const later = retryAfter !== undefined ? `Try again in ${seconds(retryAfter)}.` : 'Try again in a few minutes.';
    const what =
      status === 429
        ? 'Microsoft is throttling the bot\'s requests to the licensing service'
        : `The Microsoft licensing service is unavailable (HTTP ${status})`;
    return new AppError(
      'tenant_unavailable',
      `${call.method} ${path} gave up after ${tries} and ${waitedMs} ms of waiting: HTTP ${status} (ref ${correlationId})`,
      `${what}; the bot gave up after ${tries}. ${later} (ref ${correlationId})`,
    );
  }

  function rejected(status: number, text: string, call: Call, path: string, correlationId: string): AppError {
    const detail = serviceMessage(text);
    const internal = `${call.method} ${path} answered HTTP ${status} (ref ${correlationId}): ${detail}`;
    if (status === 401 || status === 403) return new AppError('tenant_forbidden', internal, forbiddenMessage(call.access, status));
    if (status === 404 && call.notFound) return new AppError('not_found', internal, call.notFound);
    if (status >= 400 && status < 500) {
      return new AppError(
        'tenant_rejected',
        internal,
        `The Microsoft licensing service refused the request (HTTP ${status})${detail ? `: ${detail}` : ''} (ref ${correlationId})`,
      );
    }
    return new AppError(
      'tenant_unavailable',
      internal,
      `The Microsoft licensing service failed (HTTP ${status}). Try again in a few minutes. (ref ${correlationId})`,
    );
  }

  async function sendValidated<T extends z.ZodType>(call: Call, schema: T, correlationId = randomUUID()): Promise<z.output<T>> {
    const body = await send(call, correlationId);
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new AppError(
      'tenant_unavailable',
      `${call.method} ${call.url} answered an unexpected shape (ref ${correlationId}): ${z.prettifyError(parsed.error)}`,
      unexpectedMessage(correlationId),
    );
  }

  async function listAll<T extends z.ZodType>(firstUrl: string, item: T): Promise<z.output<T>[]> {
    const schema = pageSchema(item);
    const correlationId = randomUUID();
    const items: z.output<T>[] = [];
    let next: string | undefined = firstUrl;
    for (let page = 0; next !== undefined; page++) {
      if (page === MAX_PAGES) {
        throw new AppError(
          'tenant_unavailable',
          `Gave up paging ${firstUrl} after ${MAX_PAGES} pages (ref ${correlationId})`,
          unexpectedMessage(correlationId),
        );
      }
      const call: Call = { method: 'GET', url: next, access: 'read' };
      const body = await sendValidated(call, schema, correlationId);
      items.push(...(body.items as z.output<T>[]));
      next = body['@odata.nextLink'];
      // The token goes only to the licensing host, whatever a page says.
      if (next !== undefined && new URL(next, baseUrl).origin !== origin) {
        throw new AppError(
          'tenant_unavailable',
          `Refused to follow @odata.nextLink to another host: ${new URL(next, baseUrl).origin} (ref ${correlationId})`,
          unexpectedMessage(correlationId),
        );
      }
      if (next !== undefined) next = new URL(next, baseUrl).toString();
    }
    return items;
  }

  const productUrl = (productId: string) => `${baseUrl}${POLICY_PATH}/products/${encodeURIComponent(productId)}`;
  const offerTypeUrl = (offerType: OfferType) => `${baseUrl}${POLICY_PATH}/offerTypes/${encodeURIComponent(offerType)}`;
  const noProduct = (productId: string) =>
    `The licensing service knows no product ${productId} for self-service purchase. Run \`/purchases policy\` to see the products and their ids.`;
  const noOfferType = (offerType: OfferType) => `The licensing service has no self-service purchase policy for the offer type ${offerType}.`;

  return {
    listProducts: () => listAll(`${baseUrl}${POLICY_PATH}/products?scope=product`, productItemSchema),
    listOfferTypes: () => listAll(`${baseUrl}${POLICY_PATH}/products?scope=OfferType`, offerTypeItemSchema),
    getProduct: (productId) =>
      sendValidated({ method: 'GET', url: productUrl(productId), access: 'read', notFound: noProduct(productId) }, productItemSchema),
    putProduct: (productId, value) =>
      sendValidated(
        { method: 'PUT', url: productUrl(productId), body: { policyValue: value }, access: 'write', notFound: noProduct(productId) },
        productItemSchema,
      ),
    getOfferType: (offerType) =>
      sendValidated({ method: 'GET', url: offerTypeUrl(offerType), access: 'read', notFound: noOfferType(offerType) }, offerTypeItemSchema),
    putOfferType: (offerType, value) =>
      sendValidated(
        { method: 'PUT', url: offerTypeUrl(offerType), body: { policyValue: value }, access: 'write', notFound: noOfferType(offerType) },
        offerTypeItemSchema,
      ),
  };
}
