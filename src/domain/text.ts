/**
 * Text as Slack measures it, and what the bot quotes back of what an admin typed.
 *
 * Slack states its limits in "characters" without saying which. A length in UTF-16 code units
 * (String#length) is never less than a count of code points or of the characters a person sees,
 * so text within a limit by this count is within it whichever one Slack uses; the views cut text
 * with `truncate` and the limit checker (slack/blocks/limits.ts) measures it with `textLength`,
 * so what one produces the other accepts. A cut never splits what a person sees as one character
 * (an emoji with its modifiers, a flag, a letter with its accents), an escape such as `&amp;`,
 * or a Slack token such as `<@U012ABCDEF>`.
 */

/** How long `text` is, as the limits are checked. */
export function textLength(text: string): number {
  return text.length;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The longest start of `text` that fits in `max` and ends between two whole characters. */
function wholeCharactersWithin(text: string, max: number): string {
  // Boundaries near `max` depend only on nearby characters: segmenting a little past it is enough.
  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, max + 32))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  let head = text.slice(0, end);
  // Not inside an escape (&amp; &lt; &gt; &#123;) or a token (<@U…>, <#C…>, <https://…|…>).
  const entity = /&#?[a-z0-9]*$/i.exec(head);
  if (entity) head = head.slice(0, entity.index);
  const open = head.lastIndexOf('<');
  if (open >= 0 && !head.includes('>', open)) head = head.slice(0, open);
  return head;
}

/** Shortens `text` to at most `max` (by textLength), ending with an ellipsis when it was cut. */
export function truncate(text: string, max: number): string {
  if (textLength(text) <= max) return text;
  const ellipsis = '…';
  if (max < ellipsis.length) return '';
  return `${wholeCharactersWithin(text, max - ellipsis.length).trimEnd()}${ellipsis}`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack sends `&`, `<` and `>` of what people type as these escapes: what they typed is read back. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** How much of an admin's input a reply quotes back. */
export const QUOTE_MAX = 40;

/**
 * What an admin typed, quoted back in a reply: one line, at most QUOTE_MAX characters, escaped,
 * in code format. Never the whole input: a reply is no place for thousands of characters, and
 * `<!channel>` typed by someone must not become a mention when the bot repeats it.
 */
export function quoteInput(input: string, max = QUOTE_MAX): string {
  const line = input.replace(/\s+/g, ' ').trim();
  if (line === '') return '(nothing)';
  return `\`${escapeMrkdwn(truncate(line, max).replace(/`/g, "'"))}\``;
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: "lsit" is 1 from "list". */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The one word of `candidates` that `typed` is most likely a typo of, if any is close enough. */
export function closestWord(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word.length < 2 || word.length > 40) return undefined;
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  // One edit in a short word, two in a longer one; a tie between two candidates is no answer.
  const allowed = word.length <= 4 ? 1 : 2;
  const winners = scored.filter((s) => s.distance === best);
  return best > 0 && best <= allowed && winners.length === 1 ? winners[0]!.candidate : undefined;
}
