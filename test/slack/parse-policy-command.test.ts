import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/parse.js';
import { parsePurchasesCommand } from '../../src/slack/parse-command.js';

describe('parsing /purchases policy', () => {
  it('lists every policy when given nothing else', () => {
    expect(parsePurchasesCommand('policy')).toEqual({ kind: 'policy-list' });
  });

  it('reads a product of several words and a value as its last word', () => {
    expect(parsePurchasesCommand('policy Power BI Pro disabled')).toEqual({ kind: 'policy-set', product: 'Power BI Pro', value: 'Disabled' });
    expect(parsePurchasesCommand('policy "Visio Plan 1" trials')).toEqual({ kind: 'policy-set', product: 'Visio Plan 1', value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(parsePurchasesCommand('POLICY saas ENABLED')).toEqual({ kind: 'policy-set', product: 'saas', value: 'Enabled' });
  });

  it('accepts the Microsoft names of the values, in any case', () => {
    expect(parsePurchasesCommand('policy CFQ7TTC0H9MP onlytrialswithoutpaymentmethod')).toMatchObject({ value: 'OnlyTrialsWithoutPaymentMethod' });
    expect(parsePurchasesCommand('policy all Disabled')).toEqual({ kind: 'policy-all', value: 'Disabled' });
  });

  it('names a value it does not know and shows the right form', () => {
    const message = refusalOf('policy Power BI Pro off');
    expect(message).toContain('`off` is not a policy value');
    expect(message).toContain('/purchases policy [<product | ProductId | offer type> <enabled|trials|disabled>]');
  });

  it('asks for a value after a lone product, and for a product before a lone value', () => {
    expect(refusalOf('policy CFQ7TTC0H9MP')).toContain('`CFQ7TTC0H9MP` needs a value after it');
    expect(refusalOf('policy disabled')).toContain('Name the product');
  });

  it('needs exactly one value after all', () => {
    expect(refusalOf('policy all')).toContain('`policy all` needs one value');
    expect(refusalOf('policy all off')).toContain('`policy all` needs one value');
    expect(refusalOf('policy all disabled now')).toContain('`policy all` needs one value');
  });
});
