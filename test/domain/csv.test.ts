import { describe, expect, it } from 'vitest';
import { neutralizeCell } from '../../src/domain/csv.js';

describe('CSV cells', () => {
  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx'])(
    'neutralises %j so a spreadsheet shows it as text',
    (value) => {
      expect(neutralizeCell(value)).toBe(`'${value}`);
    },
  );

  it('leaves ordinary values alone', () => {
    expect(neutralizeCell('Ana López')).toBe('Ana López');
    expect(neutralizeCell('ana.lopez@contoso.com')).toBe('ana.lopez@contoso.com');
    expect(neutralizeCell('2026-11-25 09:00')).toBe('2026-11-25 09:00');
  });
});
