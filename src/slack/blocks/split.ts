/**
 * Splits a long list into several messages within Slack's limit of 50 blocks per message.
 * Each unit (e.g. a subscription's line and its buttons) stays whole in one message; every
 * message gets a head (which may say "part 2 of 3") and the last one the tail (totals).
 */
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { BLOCK_KIT_LIMITS } from './limits.js';

export interface SplitOptions {
  head: (part: number, parts: number) => { text: string; blocks: KnownBlock[] };
  /** At most this many blocks in every head. */
  headBlocks: number;
  tail: KnownBlock[];
}

export function splitIntoMessages(units: KnownBlock[][], options: SplitOptions): SlackMessage[] {
  const budget = BLOCK_KIT_LIMITS.messageBlocks - options.headBlocks;
  const bodies: KnownBlock[][] = [[]];
  for (const unit of units) {
    const current = bodies.at(-1)!;
    if (current.length > 0 && current.length + unit.length > budget) bodies.push([...unit]);
    else current.push(...unit);
  }
  // The tail goes with the last body, or on a message of its own if it does not fit.
  if (bodies.at(-1)!.length + options.tail.length > budget) bodies.push([...options.tail]);
  else bodies.at(-1)!.push(...options.tail);
  return bodies.map((body, index) => {
    const head = options.head(index + 1, bodies.length);
    return { text: head.text, blocks: [...head.blocks, ...body] };
  });
}
