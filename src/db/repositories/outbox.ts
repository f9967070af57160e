/**
 * The persistent outbox: channel posts, message updates and DMs are stored first and delivered
 * by a worker, so a Slack outage or a 429 delays them but never loses or doubles them.
 * `dedupeKey` is unique: enqueueing the same message twice (a retried request, a second
 * replica) stores it once.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../client.js';

type OutboxStore = Pick<PrismaClient, 'outboxMessage'>;
/** What an enqueue writes with: the client, or the caller's transaction. */
export type EnqueueStore = Pick<PrismaClient, '$executeRaw'>;

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  kind: string;
  dedupeKey: string;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  resultChannel: string | null;
  resultTs: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** Claimed while still leased by an earlier attempt that never finished (a crash or a stop mid-call). */
  previousLease?: boolean;
}

/** Stores the message unless one with the same key exists; returns whether it was new. */
export async function enqueueOutbox(prisma: EnqueueStore, message: { kind: string; dedupeKey: string; payload: unknown; now: Date }): Promise<boolean> {
  // One statement: a concurrent enqueue of the same key (the point of the key) makes this one
  // insert nothing, and leaves the caller's transaction whole. Finding the key first and then
  // inserting made the loser fail on the unique key, which on PostgreSQL aborts the transaction
  // the enqueue ran in, and with it the caller's other writes.
  const inserted = await prisma.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "kind", "dedupeKey", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
    VALUES (${randomUUID()}, ${message.kind}, ${message.dedupeKey}, ${JSON.stringify(message.payload)}, ${'pending'}, ${0}, ${message.now}, ${message.now})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
  return inserted === 1;
}

/** Claims due messages for this worker (a lease, so a crashed worker's claims expire). */
export async function claimDueOutbox(prisma: PrismaClient, now: Date, options: { limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  const due = await prisma.outboxMessage.findMany({
    where: {
      status: 'pending',
      nextAttemptAt: { lte: now },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: options.limit,
  });
  const claimed: OutboxRow[] = [];
  const lockedUntil = new Date(now.getTime() + options.leaseMs);
  for (const row of due) {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id: row.id, status: 'pending', lockedUntil: row.lockedUntil },
      data: { lockedUntil },
    });
    if (count === 1) claimed.push({ ...row, lockedUntil, previousLease: row.lockedUntil !== null });
  }
  return claimed;
}

export async function markOutboxSent(prisma: OutboxStore, id: string, result: { channel?: string; ts?: string; at: Date }) {
  await prisma.outboxMessage.update({
    where: { id },
    data: {
      status: 'sent',
      sentAt: result.at,
      lockedUntil: null,
      lastError: null,
      resultChannel: result.channel ?? null,
      resultTs: result.ts ?? null,
      attempts: { increment: 1 },
    },
  });
}

export async function markOutboxRetry(prisma: OutboxStore, id: string, retry: { at: Date; error: string }) {
  await prisma.outboxMessage.update({
    where: { id },
    data: { nextAttemptAt: retry.at, lockedUntil: null, lastError: retry.error, attempts: { increment: 1 } },
  });
}

export async function markOutboxFailed(prisma: OutboxStore, id: string, error: string) {
  await prisma.outboxMessage.update({
    where: { id },
    data: { status: 'failed', lockedUntil: null, lastError: error, attempts: { increment: 1 } },
  });
}

/** Gives a claimed message back untouched, for the next run (its conversation stalled this time). */
export async function releaseOutbox(prisma: OutboxStore, id: string, lockedUntil: Date | null) {
  await prisma.outboxMessage.updateMany({ where: { id, status: 'pending', lockedUntil }, data: { lockedUntil: null } });
}

export function findOutboxByKey(prisma: OutboxStore, dedupeKey: string) {
  return prisma.outboxMessage.findUnique({ where: { dedupeKey } });
}

export function findOutboxStatuses(prisma: OutboxStore, dedupeKeys: string[]) {
  return prisma.outboxMessage.findMany({ where: { dedupeKey: { in: dedupeKeys } }, select: { dedupeKey: true, status: true, lastError: true } });
}
