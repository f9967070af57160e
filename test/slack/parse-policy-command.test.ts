import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/parse.js';
import { parsePurchasesCommand } from '../../src/slack/parse-command.js';

describe('parsing /purchases policy', () => {
  it('lists every policy when given nothing else', () => {
    expect(parsePurchasesCommand('policy')).toEqual({ kind: 'policy-list' });
  });

  it('reads a product of several words and a value as its last word', () => {
    expect(parsePurchasesCommand('policy Power BI Pro disabled')).toEqual({ kind: 'policy-set', product: 'Power BI Pro', value: 'Disabled' });
    expect(parsePurchasesCommand('policy "Visio Plan 1" trials')).toEqual({
      kind: 'policy-set',
      product: 'Visio Plan 1',
      value: 'OnlyTrialsWithoutPaymentMethod',
    });
    expect(parsePurchasesCommand('POLICY saas ENABLED')).toEqual({ kind: 'policy-set', product: 'saas', value: 'Enabled' });
  });

  it('accepts the Microsoft names of the values, in any case', () => {
    expect(parsePurchasesCommand('policy CFQ7TTC0H9MP onlytrialswithoutpaymentmethod')).toMatchObject({ value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(parsePurchasesCommand('policy all Disabled')).toEqual({ kind: 'policy-all', value: 'Disabled' });
  });

  it('shows a product named without a value, and says what a last word that is no value would be', () => {
    expect(parsePurchasesCommand('policy CFQ7TTC0H9MP')).toEqual({ kind: 'policy-show', product: 'CFQ7TTC0H9MP' });
    const parsed = parsePurchasesCommand('policy Power BI Pro off');
    expect(parsed).toMatchObject({ kind: 'policy-show', product: 'Power BI Pro off' });
    const hint = (parsed as { hint?: string }).hint ?? '';
    expect(hint).toContain('`off` is not a policy value');
    expect(hint).toContain('/purchases policy [<product | ProductId | offer type> [enabled|trials|disabled]]');
  });

  it('names a value that is a typo of one, and asks for a product before a lone value', () => {
    expect(refusalOf('policy Power BI Pro disbled')).toContain('did you mean `disabled`?');
    expect(refusalOf('policy disabled')).toContain('Name the product');
  });

  it('needs exactly one value after all', () => {
    expect(refusalOf('policy all')).toContain('`policy all` needs one value');
    expect(refusalOf('policy all off')).toContain('`policy all` needs one value');
    expect(refusalOf('policy all trails')).toContain('Did you mean `policy all trials`?');
    expect(refusalOf('policy all disabled now')).toContain('`policy all` needs one value');
  });
});
