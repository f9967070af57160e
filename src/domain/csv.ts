/**
 * CSV cells for spreadsheets: a cell that starts with = + - @ (or tab / carriage return) is
 * prefixed with an apostrophe so Excel and Sheets show it as text instead of running it as a
 * formula (CSV/formula injection). RFC 4180 quoting itself is left to csv-stringify.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
