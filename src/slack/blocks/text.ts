/** Text helpers that keep Block Kit payloads within Slack's limits (counted and cut as domain/text.ts says). */
import { escapeMrkdwn, textLength, truncate } from '../../domain/text.js';
import type { MrkdwnElement, PlainTextElement, SlackMessage } from './block-kit.js';

export { escapeMrkdwn, truncate };

export function plain(text: string, max = 75): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max = 3000): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

/** Joins lines until `max` characters would be exceeded, then ends with "and N more". */
export function linesWithin(lines: string[], max: number, moreSuffix = ''): string {
  const out: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const remaining = lines.length - index;
    const reserve = remaining > 1 ? 40 + moreSuffix.length : 0;
    if (used + textLength(line) + 1 + reserve > max) {
      out.push(`…and ${remaining} more${moreSuffix}`);
      return out.join('\n');
    }
    out.push(line);
    used += textLength(line) + 1;
  }
  return out.join('\n');
}

/** A message of text alone, without blocks: Slack shows the text as it is (mrkdwn and all). */
export function textOnly(text: string): SlackMessage {
  return { text, blocks: [] };
}
