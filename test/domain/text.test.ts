import { describe, expect, it } from 'vitest';
import { quoteInput, textLength, truncate } from '../../src/domain/text.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { mrkdwn, plain } from '../../src/slack/blocks/text.js';

describe('cutting text as the limits are checked', () => {
  it('keeps a header made of emoji within its 150 characters, so Slack does not refuse it', () => {
    const name = '🦄'.repeat(120);
    const header = { type: 'header', text: plain(name, 150) };
    expect(textLength(header.text.text)).toBeLessThanOrEqual(150);
    expect(checkBlockKit('message', { text: 'x', blocks: [header] })).toEqual([]);
  });

  it('never splits what a person sees as one character', () => {
    const family = '👩‍👩‍👧‍👦';
    const cut = truncate(`${'a'.repeat(8)}${family}${family}`, 14);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(truncate('Søren Håkansson, Ðặng Thảo', 12)).toBe('Søren Håkan…');
    expect(truncate('🇩🇪🇫🇷🇯🇵', 5)).toBe('🇩🇪…');
  });

  it('never cuts an escape or a Slack token in half', () => {
    expect(truncate('Fish &amp; Chips', 8)).toBe('Fish…');
    expect(truncate('asked by <@U012ABCDEF> today', 14)).toBe('asked by…');
  });

  it('leaves text within the limit as it is', () => {
    expect(truncate('Power BI Pro', 12)).toBe('Power BI Pro');
  });
});

describe('quoting what an admin typed', () => {
  it('quotes a short, escaped excerpt on one line, never the whole input', () => {
    const quoted = quoteInput(`<!channel> ${'x'.repeat(5000)}\nsecond line`);
    expect(quoted.startsWith('`&lt;!channel&gt; xxx')).toBe(true);
    expect(quoted).not.toContain('<!channel>');
    expect(quoted).not.toContain('\n');
    expect(textLength(quoted)).toBeLessThan(60);
  });

  it('keeps the quote closed when the input holds backticks, and names empty input', () => {
    expect(quoteInput('a`b')).toBe("`a'b`");
    expect(quoteInput('   ')).toBe('(nothing)');
  });

  it('fits in a section with the rest of a message', () => {
    const section = { type: 'section', text: mrkdwn(`No product matches ${quoteInput('&'.repeat(3000))}.`) };
    expect(checkBlockKit('message', { text: 'x', blocks: [section] })).toEqual([]);
  });
});
