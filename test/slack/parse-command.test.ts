import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/parse.js';
import { parsePurchasesCommand, tokenize } from '../../src/slack/parse-command.js';

describe('parsing /purchases', () => {
  it('gives help for an empty command and for help', () => {
    expect(parsePurchasesCommand('')).toEqual({ kind: 'help' });
    expect(parsePurchasesCommand('  HELP ')).toEqual({ kind: 'help' });
  });

  it('gives help naming an unknown subcommand', () => {
    expect(parsePurchasesCommand('frobnicate now')).toEqual({ kind: 'help', unknown: 'frobnicate' });
  });

  it('suggests the subcommand a typo was meant as', () => {
    expect(parsePurchasesCommand('lsit power bi pro')).toEqual({ kind: 'help', unknown: 'lsit', suggestion: 'list' });
    expect(parsePurchasesCommand('polcy')).toMatchObject({ suggestion: 'policy' });
    expect(parsePurchasesCommand('takover 3f2b9c1a')).toMatchObject({ suggestion: 'takeover' });
    expect(parsePurchasesCommand('xyz')).toEqual({ kind: 'help', unknown: 'xyz' });
  });

  it('lists active subscriptions by default', () => {
    expect(parsePurchasesCommand('list')).toEqual({ kind: 'list', filters: { status: 'active' } });
  });

  it('reads a product and every filter of list', () => {
    expect(parsePurchasesCommand('list power bi pro purchaser:ana status:all expiring:30')).toEqual({
      kind: 'list',
      filters: { product: 'power bi pro', purchaser: 'ana', status: 'all', expiringDays: 30 },
    });
  });

  it('keeps quoted words together, with straight or curly, double or single quotes', () => {
    const words = (text: string) => tokenize(text).map((t) => t.text);
    expect(words('list purchaser:"Ana Lopez" visio')).toEqual(['list', 'purchaser:Ana Lopez', 'visio']);
    expect(words('list purchaser:\u201CAna Lopez\u201D')).toEqual(['list', 'purchaser:Ana Lopez']);
    expect(words("list purchaser:'Meera Desai'")).toEqual(['list', 'purchaser:Meera Desai']);
    expect(words('list purchaser:\u2018Meera Desai\u2019 status:all')).toEqual(['list', 'purchaser:Meera Desai', 'status:all']);
  });

  it('reads an apostrophe inside a name as a letter', () => {
    expect(parsePurchasesCommand("list purchaser:O'Brien")).toMatchObject({ filters: { purchaser: "O'Brien" } });
    expect(parsePurchasesCommand("list purchaser:'Sinead O'Brien'")).toMatchObject({ filters: { purchaser: "Sinead O'Brien" } });
  });

  it('reads a purchaser in single quotes as one name, not as a product', () => {
    expect(parsePurchasesCommand("list purchaser:'Meera Desai'")).toEqual({ kind: 'list', filters: { status: 'active', purchaser: 'Meera Desai' } });
  });

  it('says how it read an unquoted name, and how to quote it', () => {
    const parsed = parsePurchasesCommand('list purchaser:Meera Desai');
    expect(parsed).toMatchObject({ kind: 'list', filters: { purchaser: 'Meera', product: 'Desai' } });
    const hint = (parsed as { hint?: string }).hint ?? '';
    expect(hint).toContain('I read `purchaser:Meera` as the purchaser and `Desai` as the product');
    expect(hint).toContain('`purchaser:"Meera Desai"`');
  });

  it('names an unclosed quote and shows how to quote, instead of guessing', () => {
    const message = refusalOf('list purchaser:"Meera Desai');
    expect(message).toContain('The quote that starts `"Meera Desai` is never closed');
    expect(message).toContain('`purchaser:"Meera Desai"`');
  });

  it('asks for a value after an empty filter', () => {
    expect(refusalOf('list purchaser:')).toContain('`purchaser:` needs a name or an email');
    expect(refusalOf('list purchaser:"" visio')).toContain('`purchaser:` needs a name or an email');
  });

  it('reads what Slack escaped as what was typed', () => {
    expect(parsePurchasesCommand('list purchaser:"AT&amp;T &lt;IT&gt;"')).toMatchObject({ filters: { purchaser: 'AT&T <IT>' } });
  });

  it('quotes a short, escaped excerpt of a very long or hostile input, never all of it', () => {
    const message = refusalOf(`list owner:<!channel>${'x'.repeat(5000)}`);
    expect(message).not.toContain('<!channel>');
    expect(message).toContain('`owner:&lt;!channel&gt;');
    expect(message.length).toBeLessThan(500);
  });

  it('names a bad status and shows the right form', () => {
    const message = refusalOf('list status:gone');
    expect(message).toContain('`status:gone` is not a status');
    expect(message).toContain('/purchases list [product]');
  });

  it('names a bad expiring value', () => {
    expect(refusalOf('list expiring:soon')).toContain('`expiring:soon` needs a number of days');
    expect(refusalOf('list expiring:-3')).toContain('needs a number of days');
  });

  it('names an unknown filter, and the one a typo was meant as', () => {
    expect(refusalOf('list owner:ana')).toContain('`owner:ana` is not a filter I know');
    expect(refusalOf('list purchser:ana')).toContain('Did you mean `purchaser:`?');
    expect(refusalOf('list status:actve')).toContain('Did you mean `status:active`?');
  });

  it('needs a subscription id for show', () => {
    expect(parsePurchasesCommand('show 3F2B9C1A')).toEqual({ kind: 'show', subscription: '3F2B9C1A' });
    expect(refusalOf('show')).toContain('/purchases show <subscription id>');
    expect(refusalOf('show power bi')).toContain('is not a subscription id');
  });

  it('needs a product for licenses', () => {
    expect(parsePurchasesCommand('licenses Visio Plan 2')).toEqual({ kind: 'licenses', product: 'Visio Plan 2' });
    expect(refusalOf('licenses')).toContain('/purchases licenses <product>');
  });

  it('exports a product, or subscriptions when every argument is an id', () => {
    expect(parsePurchasesCommand('export Power BI Pro')).toEqual({
      kind: 'export',
      target: { kind: 'product', product: 'Power BI Pro' },
    });
    expect(parsePurchasesCommand('export 3f2b9c1a, 9d0e77b2-1111')).toEqual({
      kind: 'export',
      target: { kind: 'subscriptions', refs: ['3f2b9c1a', '9d0e77b2-1111'] },
    });
    expect(parsePurchasesCommand('export CFQ7TTC0H9MP')).toEqual({
      kind: 'export',
      target: { kind: 'product', product: 'CFQ7TTC0H9MP' },
    });
    expect(refusalOf('export')).toContain('/purchases export <product | subscription ids>');
  });

  it('names the one argument of an export of ids that is not an id', () => {
    const message = refusalOf('export 3f2b9c1a 9d0e77b2 zz-top');
    expect(message).toContain('`zz-top` is not a subscription id');
    expect(message).not.toContain('`3f2b9c1a`');
  });

  it('reads takeover with a subscription id and centralize with a product', () => {
    expect(parsePurchasesCommand('takeover 3f2b9c1a')).toEqual({ kind: 'takeover', subscription: '3f2b9c1a' });
    expect(parsePurchasesCommand('centralize power bi pro')).toEqual({ kind: 'centralize', product: 'power bi pro' });
  });

  it('reads withdraw with a request id, and refuses it without one or with words', () => {
    expect(parsePurchasesCommand('withdraw 1a2b3c4d')).toEqual({ kind: 'withdraw', request: '1a2b3c4d' });
    expect(refusalOf('withdraw')).toContain('/purchases withdraw <request id>');
    expect(refusalOf('withdraw my request')).toContain('That is not a take-over request id');
  });

  it('refuses takeover without a subscription id, or with something else, showing the right form', () => {
    expect(refusalOf('takeover')).toContain('/purchases takeover <subscription id>');
    expect(refusalOf('takeover power bi')).toContain('is not a subscription id');
    expect(refusalOf('centralize')).toContain('/purchases centralize <product>');
  });

  it('reads digest, which takes no argument', () => {
    expect(parsePurchasesCommand('digest')).toEqual({ kind: 'digest' });
    expect(parsePurchasesCommand('DIGEST')).toEqual({ kind: 'digest' });
    expect(refusalOf('digest now')).toContain('`digest` takes no argument: `/purchases digest`');
  });
});
