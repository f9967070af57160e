/**
 * Every `/purchases …` example in README.md and in `/purchases help` works as written on the demo
 * tenant: each is sent to the real bot as a signed slash command, and none may be answered with an
 * error or with "I don't know". A README or help edit cannot break an example silently.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../src/slack/blocks/help.js';
import { ADMIN_A, ADMIN_CHANNEL, useTestBot } from '../support/bot.js';

/** A usage line (`<product>`, `[filters]`, `a|b`, `…`) describes commands; it is not one. */
const PLACEHOLDER = /[<>[\]|…]|\\\|/;

/** `/purchases …` in inline code and at the start of lines of code blocks. */
function examplesIn(text: string): string[] {
  const inline = [...text.matchAll(/`(\/purchases(?: [^`]*)?)`/g)].map((m) => m[1]!);
  const blocks = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((line) => line.startsWith('/purchases'));
  return [...inline, ...blocks].map((example) => example.trim()).filter((example) => !PLACEHOLDER.test(example));
}

const readme = examplesIn(readFileSync('README.md', 'utf8'));
const help = examplesIn(
  helpMessage()
    .blocks.map((block) => JSON.stringify(block))
    .join('\n')
    .replace(/\\"/g, '"'),
);
const examples = [...new Set([...readme, ...help])];

// The examples do not depend on the database: SQLite alone is enough.
describe('the documented examples, on the demo tenant', () => {
  const t = useTestBot({ provider: 'sqlite' });

  it('finds the examples to run in README.md and in the help', () => {
    expect(readme.length).toBeGreaterThanOrEqual(12);
    expect(help.length).toBeGreaterThanOrEqual(10);
    for (const example of ['/purchases list Power BI Pro expiring:30', '/purchases show 3f2b9c1a', '/purchases export 3f2b9c1a 9d0e77b2']) {
      expect(examples).toContain(example);
    }
  });

  it.each(examples)('runs %s without an error', async (example) => {
    const text = example.replace(/^\/purchases\s*/, '');
    const viewsBefore = t.emulator.calls.filter((call) => call.method === 'views.open').length;
    const { status, replies } = await t.command(ADMIN_A, text, ADMIN_CHANNEL);
    expect(status).toBe(200);
    const answer = JSON.stringify(replies);
    expect(answer).not.toContain(':warning:');
    expect(answer).not.toContain("I don't know");
    expect(answer).not.toContain('Something went wrong');
    // A reply, or (takeover) a form opened.
    const opened = t.emulator.calls.filter((call) => call.method === 'views.open' && call.status === 200).length > viewsBefore;
    expect(replies.length > 0 || opened).toBe(true);
  });
});
