/** Text helpers that keep Block Kit payloads within Slack's limits. */
import type { MrkdwnElement, PlainTextElement, SlackMessage } from './block-kit.js';

/** Shortens to `max` characters with an ellipsis; never cuts a surrogate pair in half. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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
    if (used + line.length + 1 + reserve > max) {
      out.push(`…and ${remaining} more${moreSuffix}`);
      return out.join('\n');
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

/** A message of text alone, without blocks: Slack shows the text as it is (mrkdwn and all). */
export function textOnly(text: string): SlackMessage {
  return { text, blocks: [] };
}
