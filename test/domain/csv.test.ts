import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CSV_QUOTED_MATCH, neutralizeCell } from '../../src/domain/csv.js';

describe('CSV cells', () => {
  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx'])('neutralises %j so a spreadsheet shows it as text', (value) => {
    expect(neutralizeCell(value)).toBe(`'${value}`);
  });

  it.each([
    ['a full-width equals sign', '＝HYPERLINK("http://x")'],
    ['a full-width plus sign', '＋1+2'],
    ['a full-width hyphen-minus', '－2+3'],
    ['a full-width commercial at', '＠SUM(A1)'],
    ['a small equals sign', '﹦1+1'],
    ['a small plus sign', '﹢1+1'],
    ['a small hyphen-minus', '﹣1+1'],
    ['a small commercial at', '﹫SUM(A1)'],
    ['the minus sign U+2212', '−2+3'],
    ['a formula after spaces', '  =1+1'],
    ['a formula after an ideographic space', '\u3000=1+1'],
    ['a formula after a no-break space', '\u00a0+1+1'],
    ['a line feed', '\n=1+1'],
    ['a NUL character', '\u0000=1+1'],
  ])('neutralises %s, which spreadsheets also read as a formula', (_what, value) => {
    expect(neutralizeCell(value)).toBe(`'${value}`);
  });

  it('leaves ordinary values alone', () => {
    expect(neutralizeCell('Ana López')).toBe('Ana López');
    expect(neutralizeCell('ana.lopez@contoso.com')).toBe('ana.lopez@contoso.com');
    expect(neutralizeCell('2026-11-25 09:00')).toBe('2026-11-25 09:00');
    expect(neutralizeCell('Müller－Lüdenscheidt')).toBe('Müller－Lüdenscheidt');
    expect(neutralizeCell('')).toBe('');
  });

  it('quotes a cell that a semicolon or tab would split into one starting with a formula', () => {
    const csv = stringify([['Ana;=HYPERLINK("http://x")', 'Bo\t+1', 'plain']], { quoted_match: CSV_QUOTED_MATCH });
    expect(csv).toBe('"Ana;=HYPERLINK(""http://x"")","Bo\t+1",plain\n');
  });
});
