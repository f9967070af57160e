/**
 * CSV cells for spreadsheets (CSV/formula injection, OWASP "CSV Injection"): a cell that a
 * spreadsheet could run as a formula is prefixed with an apostrophe, so Excel, LibreOffice and
 * Sheets show it as text. A formula starts with = + - or @, in any spelling a spreadsheet reads
 * as one: the full-width and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫, which Unicode NFKC folds to the
 * ASCII ones), the minus sign U+2212, and after leading spaces or control characters (tab,
 * carriage return, line feed, NUL), which some spreadsheets skip.
 * RFC 4180 quoting is csvRecord's; CSV_QUOTED_MATCH adds the cells it would leave bare but
 * a spreadsheet could split (a `;` or tab is a separator in some locales, so `a;=1+1` would
 * become a cell of its own starting with `=`).
 */
const FORMULA_START = /^[=+\-@\u2212]/;
/** Whitespace (any Unicode space, e.g. the ideographic space U+3000) and C0 control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern strips from a cell
const LEADING_BLANKS = /^[\s\u0000-\u001f\u007f]+/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a cell starting with a control character is what this pattern finds
const CONTROL_START = /^[\t\r\n\u0000]/;

export function neutralizeCell(value: string): string {
  // Most cells start with an ASCII letter or digit, which nothing below would change: an export
  // of a million rows calls this six million times.
  const first = value.charCodeAt(0);
  if ((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122)) return value;
  if (CONTROL_START.test(value)) return `'${value}`;
  const start = value.replace(LEADING_BLANKS, '').charAt(0).normalize('NFKC');
  return FORMULA_START.test(start) ? `'${value}` : value;
}

/** Cells to quote beyond RFC 4180's own rule: leading or trailing spaces, and locale separators. */
export const CSV_QUOTED_MATCH = /^\s|\s$|[;\t]/;

/** RFC 4180: a cell holding a quote, a comma or a line break is quoted. */
const RFC_4180_QUOTED = /[",\r\n]/;

/** One cell as csvRecord writes it: quoted when RFC 4180 or CSV_QUOTED_MATCH asks, its quotes doubled. */
export function csvField(cell: string): string {
  return RFC_4180_QUOTED.test(cell) || CSV_QUOTED_MATCH.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * One CSV record ending in CRLF: each cell as csvField writes it. What csv-stringify writes with
 * `quoted_match: CSV_QUOTED_MATCH`, at several times its speed: an export of a million rows
 * spends its time here.
 */
export function csvRecord(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cells[i]!);
  }
  return `${line}\r\n`;
}
