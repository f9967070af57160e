import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CSV_QUOTED_MATCH, csvRecord, neutralizeCell } from '../../src/domain/csv.js';

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
    const cells = ['Ana;=HYPERLINK("http://x")', 'Bo\t+1', 'plain'];
    expect(csvRecord(cells)).toBe('"Ana;=HYPERLINK(""http://x"")","Bo\t+1",plain\r\n');
  });

  it('writes a record as csv-stringify does with the same quoting', () => {
    const records = [
      ['plain', '', 'a,b', 'say "hi"', ' leading', 'trailing ', 'semi;colon', 'tab\there', 'Zoë Ünïcode', '“curly”', "'=1+1"],
      ['', '', ''],
      ['"', '""', ',', 'a\r\nb'],
    ];
    for (const record of records) {
      expect(csvRecord(record)).toBe(stringify([record], { record_delimiter: 'windows', quoted_match: CSV_QUOTED_MATCH }));
    }
  });

  it('quotes a lone line feed or carriage return too, which csv-stringify leaves bare under CRLF records (a reader would split the row there)', () => {
    expect(csvRecord(['two\nlines', 'cr\rhere'])).toBe('"two\nlines","cr\rhere"\r\n');
  });
});
