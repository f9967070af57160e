/**
 * What the bot says, as the services see it. Services never word a message: each declares a
 * port (its "notices") that turns its data into messages, the Slack layer implements them with
 * Block Kit, and the composition root hands them in. A service only stores what it got in the
 * outbox, in the transaction of the change it reports.
 */

/**
 * A message: `text` (the notification and fallback) and its blocks. The services pass blocks on
 * without looking inside; the Slack layer's builders return `Message<KnownBlock>`.
 */
export interface Message<Block = unknown> {
  text: string;
  blocks: Block[];
}

/** A message as an outbox payload: blocks stored as plain JSON, none for a text-only message. */
export function outboxContent(message: Message): { text: string; blocks?: Array<Record<string, unknown>> } {
  if (message.blocks.length === 0) return { text: message.text };
  return { text: message.text, blocks: message.blocks as Array<Record<string, unknown>> };
}
