/**
 * The HTTP receiver (HTTP mode): Bolt's request handling behind checks Bolt's own receiver
 * lacks. It reads at most MAX_BODY_BYTES of a body (a larger Content-Length is refused with 413
 * before anything is read), verifies the signature and refuses a timestamp more than five minutes
 * off either way, refuses a signed request seen before (a replay), answers Slack's URL check,
 * refuses a request from another workspace or app when SLACK_TEAM_ID / SLACK_APP_ID say which,
 * and turns any body that is not a JSON object (`payload=null`, a JSON `null`, a list) into a
 * 400 instead of an exception. Nothing a request carries can end the process: every failure
 * becomes a status code and a log line. GET /healthz (or /health) answers the bot's health check.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { AuthorizationError, HTTPModuleFunctions, HTTPResponseAck, type App, type BufferedIncomingMessage, type Logger, type Receiver } from '@slack/bolt';
import { answerHealth, isHealthRequest, type HealthReport } from '../health.js';
import { foreignOrigin, type ExpectedOrigin } from './origin.js';

/** Slack's requests are a few kilobytes; a megabyte is generous. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Slack's rule: a request signed more than five minutes away from now is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const EVENTS_PATH = '/slack/events';
/** Signatures remembered to refuse replays: a signature outlives its timestamp window by nothing. */
const REPLAY_MEMORY_LIMIT = 50_000;

export interface SlackReceiverOptions {
  signingSecret: string;
  /** Default: the app's logger. */
  logger?: Logger;
  /** Answer only after the listener finished (tests); production acknowledges first. */
  processBeforeResponse: boolean;
  expected?: ExpectedOrigin;
  maxBodyBytes?: number;
  /** Wall-clock milliseconds, for the timestamp check: Slack signs with its own clock. */
  nowMs?: () => number;
  /** GET /healthz and /health; without it the paths are not served. */
  health?: () => Promise<HealthReport>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Signatures of accepted requests, each kept as long as its timestamp could still pass. */
class ReplayMemory {
  private readonly seen = new Map<string, number>();

  /** True the first time a signature is offered (within its window), false for a replay. */
  firstTime(signature: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.seen.get(signature);
    if (known !== undefined && known > nowMs) return false;
    this.seen.delete(signature);
    this.seen.set(signature, expiresAtMs);
    if (this.seen.size > REPLAY_MEMORY_LIMIT) {
      for (const [key, expiry] of this.seen) {
        if (expiry > nowMs && this.seen.size <= REPLAY_MEMORY_LIMIT) break;
        this.seen.delete(key);
      }
    }
    return true;
  }
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The body, or a Refusal(413) as soon as it is known to be too large. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(singleHeader(req, 'content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new Refusal(413, `body of ${declared} bytes declared, more than ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error) => {
      req.off('data', onData);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new Refusal(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', fail);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request as Slack means it: a JSON object, from a form, a form's `payload`, or JSON. */
function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  let parsed: unknown;
  try {
    if (type === 'application/x-www-form-urlencoded') {
      const form = parseQuery(text);
      if (form.payload === undefined) return { ...form };
      if (typeof form.payload !== 'string') throw new Refusal(400, 'several payload fields');
      parsed = JSON.parse(form.payload);
    } else if (type === 'application/json') {
      parsed = JSON.parse(text);
    } else {
      throw new Refusal(415, `content type ${type || '(none)'}`);
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal(400, 'body is not valid JSON');
  }
  if (!isPlainObject(parsed)) throw new Refusal(400, `body is ${parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : typeof parsed}, not an object`);
  return parsed;
}

function isSslCheck(raw: Buffer, contentType: string | undefined): boolean {
  if (!(contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return false;
  return parseQuery(raw.toString('utf8')).ssl_check === '1';
}

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly replays = new ReplayMemory();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly limit: number;
  private readonly nowMs: () => number;
  /** Set by `init` when the options name none: Bolt initialises its receiver in the App constructor. */
  private logger!: Logger;

  constructor(private readonly options: SlackReceiverOptions) {
    this.limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.nowMs = options.nowMs ?? (() => Date.now());
    if (options.logger) this.logger = options.logger;
  }

  init(app: App): void {
    this.app = app;
    if (!this.options.logger) this.logger = app.logger;
  }

  start(port: number): Promise<Server> {
    if (this.server) return Promise.reject(new Error('The HTTP receiver is already started.'));
    const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
      const handling = this.handle(req, res).catch((error: unknown) => {
        this.logger.error('The HTTP receiver failed on a request', error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      this.inFlight.add(handling);
      void handling.finally(() => this.inFlight.delete(handling));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        this.server = undefined;
        reject(error);
      });
      server.listen(port, () => resolve(server));
    });
  }

  /**
   * Stops listening at once; requests being handled get `graceMs` to finish, then every
   * connection is closed (their listeners may still be running: the lifecycle aborts their calls).
   */
  async stop(graceMs = 5_000): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (this.options.health && isHealthRequest(req, pathname)) {
      await answerHealth(res, this.options.health);
      return;
    }
    if (pathname !== EVENTS_PATH || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    try {
      await this.handleEvent(req, res);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.logger.warn(`Refused a request to ${EVENTS_PATH} (${error.status}): ${error.message}`);
      if (res.headersSent) return;
      if (error.status === 413) {
        // Say so, then drop the connection rather than read the rest of the body.
        res.writeHead(413, { connection: 'close' });
        res.end(() => req.destroy());
        return;
      }
      res.writeHead(error.status).end();
    }
  }

  private async handleEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, this.limit);
    const contentType = singleHeader(req, 'content-type');
    if (isSslCheck(raw, contentType)) {
      res.writeHead(200).end();
      return;
    }
    this.verify(req, raw);
    const body = parseBody(raw, contentType);
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    const foreign = foreignOrigin(body, this.options.expected ?? {});
    if (foreign) throw new Refusal(403, foreign);
    await this.dispatch(Object.assign(req, { rawBody: raw }), res, body);
  }

  /** Signature (HMAC-SHA256 of `v0:<timestamp>:<body>`), timestamp within five minutes, not seen before. */
  private verify(req: IncomingMessage, raw: Buffer): void {
    const signature = singleHeader(req, 'x-slack-signature');
    const timestamp = singleHeader(req, 'x-slack-request-timestamp');
    if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) throw new Refusal(401, 'missing or malformed signature headers');
    const nowMs = this.nowMs();
    const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
    if (skew > MAX_CLOCK_SKEW_SECONDS) throw new Refusal(401, `timestamp ${skew} s away from now (at most ${MAX_CLOCK_SKEW_SECONDS} s either way)`);
    const expected = `v0=${createHmac('sha256', this.options.signingSecret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) throw new Refusal(401, 'signature mismatch');
    const expiresAtMs = (Number(timestamp) + MAX_CLOCK_SKEW_SECONDS + 1) * 1000;
    if (!this.replays.firstTime(signature, expiresAtMs, nowMs)) throw new Refusal(401, 'a replay of a request already received');
  }

  /** Bolt's part: acknowledge (now, or after the listener with processBeforeResponse) and run the listeners. */
  private async dispatch(req: BufferedIncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const { logger } = this;
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: this.options.processBeforeResponse,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    const retryNum = Number.parseInt(singleHeader(req, 'x-slack-retry-num') ?? '', 10);
    const retryReason = singleHeader(req, 'x-slack-retry-reason');
    try {
      if (!this.app) throw new Error('The HTTP receiver got a request before the app was initialised.');
      await this.app.processEvent({
        body,
        ack: ack.bind(),
        ...(Number.isFinite(retryNum) ? { retryNum } : {}),
        ...(retryReason ? { retryReason } : {}),
        customProperties: {},
      });
      if (ack.storedResponse !== undefined) HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      ack.ack();
      logger.error('Bolt failed to process a request', error);
      if (!res.headersSent) res.writeHead(error instanceof AuthorizationError ? 401 : 500).end();
    }
  }
}
