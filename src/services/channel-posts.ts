/** Posts of several parts (a long digest, a long reminder), enqueued together in the caller's transaction. */
import type { Tx } from '../db/client.js';
import { enqueue } from '../outbox/enqueue.js';
import { outboxContent, type Message } from './messages.js';

/**
 * The outbox delivers in order of creation: parts are stored a millisecond apart, the last one
 * at `now`, so that all of them are due at once and go out in order.
 */
export async function enqueueParts(
  tx: Tx,
  channel: string,
  parts: Array<{ key: string; message: Message }>,
  now: Date,
  /** Who is told if Slack refuses the post (once, on its first part): the admin who asked for it. */
  tell?: string,
): Promise<void> {
  for (const [i, { key, message }] of parts.entries()) {
    const ifFailed = tell && i === 0 ? { ifFailed: { user: tell } } : {};
    await enqueue(tx, 'post', key, { channel, ...outboxContent(message), ...ifFailed }, new Date(now.getTime() - (parts.length - 1 - i)));
  }
}
