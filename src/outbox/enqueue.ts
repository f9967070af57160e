import { type EnqueueStore, enqueueOutbox } from '../db/repositories/outbox.js';
import type { OutboxKind, OutboxPayload } from './messages.js';

/** Stores a message for delivery (inside the caller's transaction when given one). */
export function enqueue<K extends OutboxKind>(prisma: EnqueueStore, kind: K, dedupeKey: string, payload: OutboxPayload<K>, now: Date): Promise<boolean> {
  return enqueueOutbox(prisma, { kind, dedupeKey, payload, now });
}
