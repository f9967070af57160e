import { describe, expect, it } from 'vitest';
import { detectLayout } from '../../src/services/import/columns.js';
import { readCsv } from '../../src/services/import/read-csv.js';
import { checkHolderRow, checkSubscriptionRow } from '../../src/services/import/rows.js';
import { CSV_COLUMNS } from '../../src/services/export-users.js';

describe('reading an import file', () => {
  it('numbers rows by the line they start on, across quoted cells that span lines and blank lines', () => {
    const table = readCsv('Subscription id,Product\r\n\r\nabc123,"Power\r\nBI Pro"\r\ndef456,Visio Plan 2\r\n');
    expect(table.headers).toEqual(['Subscription id', 'Product']);
    expect(table.rows.map((r) => r.line)).toEqual([3, 5]);
    expect(table.rows[0]!.cells[1]).toBe('Power\r\nBI Pro');
  });

  it('reads semicolons and tabs as spreadsheets in some locales save them, with a byte-order mark or in UTF-16', () => {
    expect(readCsv('\uFEFFa;b\n1;2,5\n').rows[0]!.cells).toEqual(['1', '2,5']);
    expect(readCsv('a\tb\n1\t2\n').rows[0]!.cells).toEqual(['1', '2']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Display name,User principal name\nAna López,ana@contoso.com\n', 'utf16le')]);
    expect(readCsv(utf16).rows[0]!.cells).toEqual(['Ana López', 'ana@contoso.com']);
  });

  it('takes the bot’s own export of licensed users as a file of holders: "User name" is the name there', () => {
    const layout = detectLayout([...CSV_COLUMNS], {});
    expect(layout).toEqual({ kind: 'holders', columns: { subscriptionId: 0, product: 1, email: 4, name: 3 } });
  });

  it('takes "Username" for the UPN when no other column gives it, as Microsoft’s exports mean it', () => {
    expect(detectLayout(['Username', 'Display name'], { product: 'Power BI Pro' })).toEqual({ kind: 'holders', columns: { email: 0, name: 1 } });
  });

  it('says which columns a subscriptions file lacks, and that a price needs a currency', () => {
    expect(() => detectLayout(['Product', 'Licenses'], {})).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining('`Subscription id`, `Purchased`') }),
    );
    expect(() => detectLayout(['Subscription id', 'Product', 'Licenses', 'Purchased', 'Price'], {})).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining('no `Currency` column') }),
    );
  });

  it('reads the dates admins type in the bot’s time zone, and refuses days that do not exist', () => {
    const headers = ['Subscription id', 'Product', 'Licenses', 'Purchased', 'Renews'];
    const { columns } = detectLayout(headers, {}) as Extract<ReturnType<typeof detectLayout>, { kind: 'subscriptions' }>;
    const check = (purchased: string, renews = '') =>
      checkSubscriptionRow({ line: 2, cells: ['abcdef12', 'Visio Plan 2', '1', purchased, renews] }, headers, columns, 'America/New_York');
    expect(check('2026-11-30')).toMatchObject({ ok: true, row: { purchased: new Date('2026-11-30T05:00:00Z'), renews: undefined } });
    expect(check('11/30/2026', '2027-11-30T10:00:00+01:00')).toMatchObject({
      ok: true,
      row: { purchased: new Date('2026-11-30T05:00:00Z'), renews: new Date('2027-11-30T09:00:00Z') },
    });
    expect(check('2026-02-30')).toMatchObject({
      ok: false,
      refusal: { line: 2, reason: '"Purchased" must be a date such as 2026-11-30 (or 11/30/2026), not "2026-02-30"' },
    });
  });

  it('splits the product names of a user export’s Licenses column', () => {
    const headers = ['Display name', 'User principal name', 'Licenses'];
    const layout = detectLayout(headers, {});
    if (layout.kind !== 'holders') throw new Error('expected holders');
    expect(checkHolderRow({ line: 2, cells: ['Ana', 'ANA@contoso.com', 'Power BI Pro+Visio Plan 2'] }, headers, layout.columns, undefined)).toEqual({
      ok: true,
      row: { line: 2, subscriptionId: undefined, products: ['Power BI Pro', 'Visio Plan 2'], email: 'ana@contoso.com', name: 'Ana' },
    });
  });
});
