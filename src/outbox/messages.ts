/** What the outbox can deliver. Payloads are validated when read back, like any other input. */
import { z } from 'zod';

const blocks = z.array(z.record(z.string(), z.unknown())).optional();
/** Whom to tell by direct message if Slack refuses the message for good (the admin who caused it). */
const ifFailed = z.object({ user: z.string().min(1) }).optional();

export const outboxPayloads = {
  /** A message in a channel (chat.postMessage). */
  post: z.object({ channel: z.string().min(1), text: z.string(), blocks, ifFailed }),
  /** Replaces a message (chat.update): by channel + ts, or by the dedupe key of an outbox post. */
  update: z.object({ channel: z.string().optional(), ts: z.string().optional(), ref: z.string().optional(), text: z.string(), blocks, ifFailed }),
  /** A direct message to a Slack user, found by id or by email (users.lookupByEmail). */
  dm: z.object({ user: z.string().optional(), email: z.string().optional(), text: z.string(), blocks, ifFailed }),
  /** A file shared in a channel (files.getUploadURLExternal, the bytes, files.completeUploadExternal): a report's chart. */
  file: z.object({
    channel: z.string().min(1),
    filename: z.string().min(1),
    title: z.string(),
    /** What the picture shows, for screen readers. */
    altText: z.string().optional(),
    /** The file's bytes, base64. */
    contentBase64: z.string().min(1),
    /** Posted with the file (its initial comment). */
    text: z.string(),
    ifFailed,
  }),
} as const;

export type OutboxKind = keyof typeof outboxPayloads;
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof outboxPayloads)[K]>;
export type IfFailed = NonNullable<z.infer<typeof ifFailed>>;
