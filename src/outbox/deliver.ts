/**
 * Delivers due outbox messages once each. A 429 is retried after Slack's Retry-After; an outage
 * (network, 5xx, Slack's own transient errors) with growing back-off; a permanent refusal
 * (channel_not_found, users_not_found, ...) is recorded as failed with the reason.
 * The WebClient given here must reject rate-limited calls and not retry by itself
 * (`rejectRateLimitedCalls: true`, `retries: 0`): waiting is this worker's job, in the database.
 */
import type { webApi } from '@slack/bolt';
import type { PrismaClient } from '../db/client.js';
import {
  claimDueOutbox,
  findOutboxByKey,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  type OutboxRow,
} from '../db/repositories/outbox.js';
import { outboxPayloads } from './messages.js';

export interface OutboxDeps {
  prisma: PrismaClient;
  client: webApi.WebClient;
  logger: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

export interface OutboxSummary {
  sent: number;
  retried: number;
  failed: number;
}

const TRANSIENT_SLACK_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
export const MAX_ATTEMPTS = 50;
const LEASE_MS = 120_000;

class NotYet extends Error {}

type Outcome = { kind: 'retry'; afterMs: number; error: string } | { kind: 'failed'; error: string };

function classify(error: unknown, attempts: number): Outcome {
  const backoffMs = Math.min(15 * 60_000, 5_000 * 2 ** Math.min(attempts, 10));
  if (error instanceof NotYet) return { kind: 'retry', afterMs: 5_000, error: error.message };
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  switch (coded.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'retry', afterMs: Math.max(1, coded.retryAfter ?? 1) * 1000, error: 'rate limited (429)' };
    case 'slack_webapi_request_error':
      return { kind: 'retry', afterMs: backoffMs, error: `network: ${coded.message ?? 'request failed'}` };
    case 'slack_webapi_http_error':
      return { kind: 'retry', afterMs: backoffMs, error: `HTTP ${coded.statusCode ?? '?'}` };
    case 'slack_webapi_platform_error': {
      const slackError = coded.data?.error ?? 'unknown_error';
      return TRANSIENT_SLACK_ERRORS.has(slackError)
        ? { kind: 'retry', afterMs: backoffMs, error: slackError }
        : { kind: 'failed', error: slackError };
    }
    default:
      return { kind: 'retry', afterMs: backoffMs, error: coded.message ?? String(error) };
  }
}

async function send(deps: OutboxDeps, row: OutboxRow): Promise<{ channel?: string; ts?: string }> {
  const raw: unknown = JSON.parse(row.payload);
  switch (row.kind) {
    case 'post': {
      const payload = outboxPayloads.post.parse(raw);
      const result = await deps.client.chat.postMessage({ channel: payload.channel, text: payload.text, ...(payload.blocks ? { blocks: payload.blocks as never } : {}) });
      return { ...(result.channel ? { channel: result.channel } : {}), ...(result.ts ? { ts: result.ts } : {}) };
    }
    case 'update': {
      const payload = outboxPayloads.update.parse(raw);
      let { channel, ts } = payload;
      if (payload.ref) {
        const original = await findOutboxByKey(deps.prisma, payload.ref);
        if (!original) throw new Error(`update refers to unknown message ${payload.ref}`);
        if (original.status === 'failed') throw Object.assign(new Error('original message failed'), { code: 'slack_webapi_platform_error', data: { error: 'original_not_posted' } });
        if (original.status !== 'sent' || !original.resultTs) throw new NotYet(`waiting for ${payload.ref} to be posted`);
        channel = original.resultChannel ?? channel;
        ts = original.resultTs;
      }
      if (!channel || !ts) throw Object.assign(new Error('update without channel/ts'), { code: 'slack_webapi_platform_error', data: { error: 'message_not_found' } });
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
      if (!user) throw Object.assign(new Error('no Slack user'), { code: 'slack_webapi_platform_error', data: { error: 'users_not_found' } });
      const opened = await deps.client.conversations.open({ users: user });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      const result = await deps.client.chat.postMessage({ channel, text: payload.text, ...(payload.blocks ? { blocks: payload.blocks as never } : {}) });
      return { channel, ...(result.ts ? { ts: result.ts } : {}) };
    }
    default:
      throw Object.assign(new Error(`unknown outbox kind ${row.kind}`), { code: 'slack_webapi_platform_error', data: { error: 'unknown_kind' } });
  }
}

export async function deliverOutbox(deps: OutboxDeps, now: Date, options: { limit?: number } = {}): Promise<OutboxSummary> {
  const summary: OutboxSummary = { sent: 0, retried: 0, failed: 0 };
  const rows = await claimDueOutbox(deps.prisma, now, { limit: options.limit ?? 50, leaseMs: LEASE_MS });
  for (const row of rows) {
    try {
      const result = await send(deps, row);
      await markOutboxSent(deps.prisma, row.id, { ...result, at: now });
      summary.sent += 1;
    } catch (error) {
      const outcome = classify(error, row.attempts);
      if (outcome.kind === 'failed' || row.attempts + 1 >= MAX_ATTEMPTS) {
        deps.logger.error(`Outbox message ${row.dedupeKey} failed for good: ${outcome.error}`);
        await markOutboxFailed(deps.prisma, row.id, outcome.error);
        summary.failed += 1;
      } else {
        deps.logger.warn(`Outbox message ${row.dedupeKey} will be retried: ${outcome.error}`);
        await markOutboxRetry(deps.prisma, row.id, { at: new Date(now.getTime() + outcome.afterMs), error: outcome.error });
        summary.retried += 1;
      }
    }
  }
  return summary;
}
