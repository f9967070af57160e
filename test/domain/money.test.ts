import { describe, expect, it } from 'vitest';
import { formatMoney, formatTotals, isCurrency, multiply, parseAmount, sumByCurrency, sumKnownByCurrency, toDecimalString } from '../../src/domain/money.js';

describe('money', () => {
  it('turns minor units into an exact decimal string', () => {
    expect(toDecimalString({ amountMinor: 1400, currency: 'USD' })).toBe('14.00');
    expect(toDecimalString({ amountMinor: 5, currency: 'EUR' })).toBe('0.05');
    expect(toDecimalString({ amountMinor: -1999, currency: 'GBP' })).toBe('-19.99');
    expect(toDecimalString({ amountMinor: 1500, currency: 'JPY' })).toBe('1500');
  });

  it('keeps cents exact where floating point would not', () => {
    const total = sumByCurrency([
      { amountMinor: 10, currency: 'USD' },
      { amountMinor: 20, currency: 'USD' },
    ]);
    expect(total).toEqual([{ amountMinor: 30, currency: 'USD' }]);
    expect(formatMoney(total[0]!)).toBe('$0.30');
  });

  it('formats with the currency symbol and separators', () => {
    expect(formatMoney({ amountMinor: 123456789, currency: 'USD' })).toBe('$1,234,567.89');
    expect(formatMoney({ amountMinor: 1199, currency: 'EUR' })).toBe('€11.99');
    expect(formatMoney({ amountMinor: 0, currency: 'GBP' })).toBe('£0.00');
  });

  it('never adds amounts of different currencies together', () => {
    const totals = sumByCurrency([
      { amountMinor: 1400, currency: 'USD' },
      { amountMinor: 1000, currency: 'EUR' },
      { amountMinor: 600, currency: 'USD' },
    ]);
    expect(totals).toEqual([
      { amountMinor: 1000, currency: 'EUR' },
      { amountMinor: 2000, currency: 'USD' },
    ]);
    expect(formatTotals(totals)).toBe('€10.00 + $20.00');
  });

  it('multiplies by whole license counts only', () => {
    expect(multiply({ amountMinor: 1400, currency: 'USD' }, 5)).toEqual({ amountMinor: 7000, currency: 'USD' });
    expect(() => multiply({ amountMinor: 1400, currency: 'USD' }, 1.5)).toThrow(RangeError);
  });

  it('refuses amounts that are not safe integers', () => {
    expect(() => toDecimalString({ amountMinor: 10.5, currency: 'USD' })).toThrow(RangeError);
  });

  it('reads amounts as people type them, exactly, in the currency’s minor units', () => {
    expect(parseAmount('14', 'USD')).toEqual({ amountMinor: 1400, currency: 'USD' });
    expect(parseAmount('14.5', 'USD')).toEqual({ amountMinor: 1450, currency: 'USD' });
    expect(parseAmount('$1,234.56', 'USD')).toEqual({ amountMinor: 123_456, currency: 'USD' });
    expect(parseAmount('€ 9.99', 'EUR')).toEqual({ amountMinor: 999, currency: 'EUR' });
    expect(parseAmount('1500', 'JPY')).toEqual({ amountMinor: 1500, currency: 'JPY' });
    expect(parseAmount('0.1', 'USD')).toEqual({ amountMinor: 10, currency: 'USD' });
  });

  it('refuses what is not an amount in that currency rather than guessing', () => {
    for (const text of ['14.999', '-5', '14,50', 'twelve', '', '1.2.3']) expect(parseAmount(text, 'USD'), text).toBeUndefined();
    expect(parseAmount('15.5', 'JPY')).toBeUndefined();
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('EURO')).toBe(false);
  });

  it('adds up the known amounts and counts the unknown ones apart', () => {
    expect(sumKnownByCurrency([{ amountMinor: 100, currency: 'USD' }, null, { amountMinor: 50, currency: 'USD' }, null])).toEqual({
      totals: [{ amountMinor: 150, currency: 'USD' }],
      unknown: 2,
    });
  });
});
