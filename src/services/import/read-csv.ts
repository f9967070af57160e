/**
 * A CSV file as a header and rows, each with the line it starts on (what a refusal names).
 * RFC 4180 parsing is csv-parse's; here: the encoding (UTF-8 with or without a byte-order mark,
 * or UTF-16 as Excel saves "Unicode text"), the delimiter (comma, or semicolon or tab as some
 * spreadsheet locales save), and blank lines skipped.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../../domain/errors.js';

export interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  headers: string[];
  rows: CsvRow[];
}

function decode(content: string | Buffer): string {
  if (typeof content === 'string') return content;
  if (content[0] === 0xff && content[1] === 0xfe) return content.subarray(2).toString('utf16le');
  return content.toString('utf8');
}

/** The delimiter the header line uses most, outside quotes. */
function delimiterOf(text: string): string {
  const firstLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

/** 1-based line of each byte offset's line, counting \r\n, \r and \n as one break each. */
function lineOfOffset(bytes: Buffer): (offset: number) => number {
  // latin1 keeps one character per byte; UTF-8 never has CR or LF inside a multi-byte character.
  const text = bytes.toString('latin1');
  return (offset) => {
    let start = offset;
    while (text[start] === '\r' || text[start] === '\n') start += 1;
    return 1 + (text.slice(0, start).match(/\r\n|\r|\n/g)?.length ?? 0);
  };
}

export function readCsv(content: string | Buffer): CsvTable {
  const text = decode(content);
  // Parsed as UTF-8 bytes: csv-parse reports where each record ends as a byte offset (its line
  // count is off after a quoted cell holding \r\n), and a row's line is found from where it starts.
  const bytes = Buffer.from(text, 'utf8');
  const lineAt = lineOfOffset(bytes);
  let records: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    // With `info`, each record comes as { record, info } (the typings do not say so).
    records = parse(bytes, {
      bom: true,
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new AppError('bad_input', `unreadable CSV: ${error.message}`, `The file is not valid CSV${line ? ` (near line ${line})` : ''}: ${error.message}.`, {
        cause: error,
      });
    }
    throw error;
  }
  let end = 0;
  const rows = records
    .map(({ record, info }) => {
      const line = lineAt(end);
      end = info.bytes;
      return { line, cells: record.map((cell) => cell.trim()) };
    })
    .filter((row) => row.cells.some((cell) => cell !== ''));
  const header = rows.shift();
  if (!header) throw new AppError('bad_input', 'empty CSV', 'The file is empty: it needs a line naming the columns, then one line per row.');
  return { headers: header.cells, rows };
}
