import { describe, expect, it } from 'vitest';
import { parsePurchasesCommand } from '../../src/slack/parse-command.js';
import { refusalOf } from '../support/parse.js';

describe('parsing /purchases sync, mark and import', () => {
  it('reads sync without arguments, and refuses one', () => {
    expect(parsePurchasesCommand('sync')).toEqual({ kind: 'sync' });
    expect(refusalOf('sync now')).toContain('`sync` takes no argument');
  });

  it('reads mark with a subscription and self-service or central, in the spellings admins type', () => {
    expect(parsePurchasesCommand('mark 3f2b9c1a central')).toEqual({ kind: 'mark', subscription: '3f2b9c1a', selfService: false });
    expect(parsePurchasesCommand('mark 3f2b9c1a Self-Service')).toEqual({ kind: 'mark', subscription: '3f2b9c1a', selfService: true });
    expect(parsePurchasesCommand('mark 3f2b9c1a self_service')).toEqual({ kind: 'mark', subscription: '3f2b9c1a', selfService: true });
  });

  it('names what is wrong with a mark and shows the right form', () => {
    expect(refusalOf('mark')).toContain('`mark` needs a subscription id and what it is');
    expect(refusalOf('mark 3f2b9c1a')).toContain('Say what subscription `3f2b9c1a` is');
    expect(refusalOf('mark 3f2b9c1a paid')).toContain('`paid` is neither self-service nor central');
    expect(refusalOf('mark Power central')).toContain('`Power` is not a subscription id');
    expect(refusalOf('mark 3f2b9c1a central now')).toContain('is too much');
    expect(refusalOf('mark 3f2b9c1a paid')).toContain('/purchases mark <subscription id> self-service|central');
  });

  it('reads import with or without the product of a per-product export', () => {
    expect(parsePurchasesCommand('import')).toEqual({ kind: 'import' });
    expect(parsePurchasesCommand('import "Power BI Pro"')).toEqual({ kind: 'import', product: 'Power BI Pro' });
    expect(parsePurchasesCommand('import visio plan 2')).toEqual({ kind: 'import', product: 'visio plan 2' });
  });
});
