/**
 * Delivers due outbox messages. A 429 is retried after Slack's Retry-After; an outage (network,
 * 5xx, Slack's own transient errors) with growing back-off; a permanent refusal
 * (channel_not_found, users_not_found, ...) is recorded as failed with the reason, and whoever the
 * message names in `ifFailed` is told by direct message.
 *
 * Conversations are delivered side by side (CONVERSATIONS_AT_ONCE), each one's messages in the
 * order they were stored, so a call that hangs holds up its own conversation only, and only until
 * its deadline (the client's timeout).
 *
 * At least once: a call that timed out, or was cut off by a crash or a stop, may have reached
 * Slack or not; Slack offers bots no idempotency key to ask. Such a message is recorded as
 * "outcome unknown" and sent again, so it may appear twice. A message update is sent again
 * harmlessly (it sets the same content).
 *
 * The WebClient given here must reject rate-limited calls and not retry by itself
 * (slack/slack-http.ts `outboxClient`): waiting is this worker's job, in the database.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { PrismaClient } from '../db/client.js';
import {
  claimDueOutbox,
  enqueueOutbox,
  findOutboxByKey,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  releaseOutbox,
  type OutboxRow,
} from '../db/repositories/outbox.js';
import type { Message } from '../services/messages.js';
import { outboxContent } from '../services/messages.js';
import { outboxPayloads, type IfFailed } from './messages.js';
import { uploadBytes } from './upload.js';

/** A message Slack refused for good (or after MAX_ATTEMPTS): what it was, and why. */
export interface OutboxFailure {
  kind: string;
  dedupeKey: string;
  /** Slack's error code (`not_in_channel`), or what the last attempt ran into. */
  error: string;
  /** Where it was going: a channel id, a user id or an email address. */
  destination: string | undefined;
  /** The message's text (its notification line). */
  text: string | undefined;
}

export interface OutboxDeps {
  prisma: PrismaClient;
  client: webApi.WebClient;
  logger: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
  /** Words the direct message to the person a failed message names in `ifFailed`. */
  undelivered?: (failure: OutboxFailure) => Message;
  /** Anything else a failure means (a take-over whose approval message never arrived). */
  onFailed?: (failure: OutboxFailure, now: Date) => Promise<void>;
  /** fetch for the bytes of a file upload (a deadline, aborted on stop); the global fetch by default. */
  uploadFetch?: typeof fetch;
}

export interface OutboxSummary {
  sent: number;
  retried: number;
  failed: number;
}

const TRANSIENT_SLACK_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
export const MAX_ATTEMPTS = 50;
const LEASE_MS = 120_000;
/** Conversations delivered at the same time. */
const CONVERSATIONS_AT_ONCE = 4;
export const BATCH_SIZE = 50;
/** The text of an attempt whose outcome nobody knows. */
export const OUTCOME_UNKNOWN = 'outcome unknown';

class NotYet extends Error {}

type Outcome = { kind: 'retry'; afterMs: number; error: string } | { kind: 'failed'; error: string };

function classify(error: unknown, attempts: number): Outcome {
  const backoffMs = Math.min(15 * 60_000, 5_000 * 2 ** Math.min(attempts, 10));
  if (error instanceof NotYet) return { kind: 'retry', afterMs: 5_000, error: error.message };
  // A stored payload that does not read back will not read back later either.
  if (error instanceof z.ZodError || error instanceof SyntaxError) return { kind: 'failed', error: 'invalid_payload' };
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string; original?: { name?: string } };
  switch (coded.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'retry', afterMs: Math.max(1, coded.retryAfter ?? 1) * 1000, error: 'rate limited (429)' };
    case 'slack_webapi_request_error':
      if (coded.original?.name === 'TimeoutError') return { kind: 'retry', afterMs: backoffMs, error: `${OUTCOME_UNKNOWN}: Slack did not answer in time` };
      // Cut off by the bot stopping: try again as soon as it runs again.
      if (coded.original?.name === 'AbortError') return { kind: 'retry', afterMs: 0, error: `${OUTCOME_UNKNOWN}: the bot stopped during the call` };
      return { kind: 'retry', afterMs: backoffMs, error: `network: ${coded.message ?? 'request failed'}` };
    case 'slack_webapi_http_error':
      return { kind: 'retry', afterMs: backoffMs, error: `HTTP ${coded.statusCode ?? '?'}` };
    case 'slack_webapi_platform_error': {
      const slackError = coded.data?.error ?? 'unknown_error';
      return TRANSIENT_SLACK_ERRORS.has(slackError) ? { kind: 'retry', afterMs: backoffMs, error: slackError } : { kind: 'failed', error: slackError };
    }
    default:
      return { kind: 'retry', afterMs: backoffMs, error: coded.message ?? String(error) };
  }
}

function refusal(error: string): Error {
  return Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { error } });
}

async function send(deps: OutboxDeps, row: OutboxRow): Promise<{ channel?: string; ts?: string }> {
  const raw: unknown = JSON.parse(row.payload);
  switch (row.kind) {
    case 'post': {
      const payload = outboxPayloads.post.parse(raw);
      const result = await deps.client.chat.postMessage({
        channel: payload.channel,
        text: payload.text,
        ...(payload.blocks ? { blocks: payload.blocks as never } : {}),
      });
      return { ...(result.channel ? { channel: result.channel } : {}), ...(result.ts ? { ts: result.ts } : {}) };
    }
    case 'update': {
      const payload = outboxPayloads.update.parse(raw);
      let { channel, ts } = payload;
      if (payload.ref) {
        const original = await findOutboxByKey(deps.prisma, payload.ref);
        if (!original) throw new Error(`update refers to unknown message ${payload.ref}`);
        if (original.status === 'failed') throw refusal('original_not_posted');
        if (original.status !== 'sent' || !original.resultTs) throw new NotYet(`waiting for ${payload.ref} to be posted`);
        channel = original.resultChannel ?? channel;
        ts = original.resultTs;
      }
      if (!channel || !ts) throw refusal('message_not_found');
      const result = await deps.client.chat.update({ channel, ts, text: payload.text, ...(payload.blocks ? { blocks: payload.blocks as never } : {}) });
      return { channel, ...(result.ts ? { ts: result.ts } : { ts }) };
    }
    case 'dm': {
      const payload = outboxPayloads.dm.parse(raw);
      let user = payload.user;
      if (!user && payload.email) {
        const found = await deps.client.users.lookupByEmail({ email: payload.email });
        user = found.user?.id;
      }
      if (!user) throw refusal('users_not_found');
      const opened = await deps.client.conversations.open({ users: user });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      const result = await deps.client.chat.postMessage({ channel, text: payload.text, ...(payload.blocks ? { blocks: payload.blocks as never } : {}) });
      return { channel, ...(result.ts ? { ts: result.ts } : {}) };
    }
    case 'file': {
      const payload = outboxPayloads.file.parse(raw);
      const content = Buffer.from(payload.contentBase64, 'base64');
      await uploadBytes(
        deps.client,
        {
          content,
          bytes: content.length,
          filename: payload.filename,
          title: payload.title,
          channelId: payload.channel,
          initialComment: payload.text,
          ...(payload.altText ? { altText: payload.altText } : {}),
        },
        deps.uploadFetch ?? fetch,
      );
      return { channel: payload.channel };
    }
    default:
      throw refusal('unknown_kind');
  }
}

/** What a stored payload says about where it goes, whom to tell if it fails, and its text. */
function describe(row: OutboxRow): {
  conversation: string;
  destination: string | undefined;
  ifFailed: IfFailed | undefined;
  text: string | undefined;
  ref: string | undefined;
} {
  let payload: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.payload);
    if (typeof parsed === 'object' && parsed !== null) payload = parsed as Record<string, unknown>;
  } catch {
    // An unreadable payload fails in send() with its reason.
  }
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : undefined);
  const destination = text('channel') ?? text('user') ?? text('email');
  const parsedIfFailed = outboxPayloads.post.shape.ifFailed.safeParse(payload.ifFailed);
  return {
    conversation: destination ?? text('ref') ?? row.id,
    destination,
    ifFailed: parsedIfFailed.success ? parsedIfFailed.data : undefined,
    text: text('text'),
    ref: text('ref'),
  };
}

/** Rows by conversation, each in the order claimed; an update goes with the post it refers to. */
function byConversation(rows: OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  const groupOfKey = new Map<string, string>();
  for (const row of rows) {
    const { conversation, ref } = describe(row);
    const key = (ref && groupOfKey.get(ref)) ?? conversation;
    groupOfKey.set(row.dedupeKey, key);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

async function deliverOne(deps: OutboxDeps, row: OutboxRow, now: Date, summary: OutboxSummary): Promise<'sent' | 'retried' | 'failed'> {
  // A row still leased when claimed was being sent when its sender stopped: nobody knows whether it arrived.
  if (row.previousLease)
    deps.logger.warn(`Outbox message ${row.dedupeKey}: its last attempt was cut off (${OUTCOME_UNKNOWN}); sending it again, it may appear twice`);
  try {
    const result = await send(deps, row);
    await markOutboxSent(deps.prisma, row.id, { ...result, at: now });
    summary.sent += 1;
    return 'sent';
  } catch (error) {
    const outcome = classify(error, row.attempts);
    if (outcome.kind === 'failed' || row.attempts + 1 >= MAX_ATTEMPTS) {
      deps.logger.error(`Outbox message ${row.dedupeKey} failed for good: ${outcome.error}`);
      await markOutboxFailed(deps.prisma, row.id, outcome.error);
      summary.failed += 1;
      await afterFailure(deps, row, outcome.error, now);
      return 'failed';
    } else {
      deps.logger.warn(`Outbox message ${row.dedupeKey} will be retried: ${outcome.error}`);
      await markOutboxRetry(deps.prisma, row.id, { at: new Date(now.getTime() + outcome.afterMs), error: outcome.error });
      summary.retried += 1;
      return 'retried';
    }
  }
}

/** Tells the person the message names, and lets the rest of the bot react. Never throws. */
async function afterFailure(deps: OutboxDeps, row: OutboxRow, error: string, now: Date): Promise<void> {
  const described = describe(row);
  const failure: OutboxFailure = { kind: row.kind, dedupeKey: row.dedupeKey, error, destination: described.destination, text: described.text };
  try {
    // An update names the post it replaces: its channel is where that post went.
    if (!failure.destination && described.ref) failure.destination = (await findOutboxByKey(deps.prisma, described.ref))?.resultChannel ?? undefined;
    if (described.ifFailed && deps.undelivered) {
      const notice = deps.undelivered(failure);
      await enqueueOutbox(deps.prisma, {
        kind: 'dm',
        dedupeKey: `${row.dedupeKey}:undelivered`,
        payload: { user: described.ifFailed.user, ...outboxContent(notice) },
        now,
      });
    }
    await deps.onFailed?.(failure, now);
  } catch (reactionError) {
    deps.logger.error(`Outbox message ${row.dedupeKey} failed, and telling about it failed too`, reactionError);
  }
}

export async function deliverOutbox(deps: OutboxDeps, now: Date, options: { limit?: number } = {}): Promise<OutboxSummary> {
  const summary: OutboxSummary = { sent: 0, retried: 0, failed: 0 };
  const rows = await claimDueOutbox(deps.prisma, now, { limit: options.limit ?? BATCH_SIZE, leaseMs: LEASE_MS });
  const groups = byConversation(rows);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      for (const [index, row] of group.entries()) {
        if ((await deliverOne(deps, row, now, summary)) !== 'retried') continue;
        // Slack is not taking this conversation now: the rest of it waits for the next run
        // rather than each one waiting out a deadline (and outliving its lease).
        for (const rest of group.slice(index + 1)) await releaseOutbox(deps.prisma, rest.id, rest.lockedUntil);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONVERSATIONS_AT_ONCE, groups.length) }, worker));
  return summary;
}
