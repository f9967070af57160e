/**
 * The SQL that cuts a person into words (src/domain/words.ts) inside each database, generated
 * from the same table of characters as the JavaScript: the triggers of the migration
 * 20261202062828_person_words were written with it, and the recount (counters.ts) runs it.
 * test/db/person-words.test.ts checks that what the triggers keep is what `personWords` says.
 */
import { ASCII_SEPARATORS, FOLDED_CHARACTERS } from '../domain/words.js';

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const MAPPED = [...FOLDED_CHARACTERS].filter(([, to]) => to !== '');
const DROPPED = [...FOLDED_CHARACTERS].filter(([, to]) => to === '').map(([from]) => from);

/**
 * SQLite: a JSON array of the words of the text `x` (an SQL expression; empty strings among
 * them). Text of printable ASCII only (most names and emails) is lower()-ed; other text is folded
 * one character at a time (a recursive walk, looking each character up in the table). ASCII
 * punctuation, `"` and `\` among it, becomes a space, so the array is always valid JSON.
 */
export function sqliteWordsJson(x: string): string {
  const dropped = DROPPED.map((ch) => ch.codePointAt(0)!);
  const from = sqlString(MAPPED.map(([ch]) => ch).join(''));
  const to = sqlString(MAPPED.map(([, folded]) => folded).join(''));
  const character = `CASE WHEN unicode(ch) < 32 OR unicode(ch) = 127 THEN ' ' WHEN unicode(ch) < 128 THEN lower(ch)
      WHEN unicode(ch) BETWEEN ${Math.min(...dropped)} AND ${Math.max(...dropped)} THEN ''
      WHEN instr(${from}, ch) > 0 THEN substr(${to}, instr(${from}, ch), 1) ELSE ch END`;
  const folded = `CASE WHEN (${x}) GLOB '*[^ -~]*' THEN (
    SELECT group_concat(${character}, '' ORDER BY i)
    FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < length(${x})) SELECT i, substr(${x}, i, 1) AS ch FROM c)
  ) ELSE lower(${x}) END`;
  let spaced = folded;
  for (const separator of ASCII_SEPARATORS) spaced = `replace(${spaced}, ${sqlString(separator)}, ' ')`;
  return `'["' || replace(${spaced}, ' ', '","') || '"]'`;
}

/** PostgreSQL: a literal in E'' form (control characters as \x escapes). */
function postgresString(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `E'${out}'`;
}

/**
 * PostgreSQL: the text `x` (an SQL expression) folded, its words separated by spaces.
 * translate() folds and separates (characters past the end of its third argument, the combining
 * accents, are dropped). It looks each character up in its second argument: text of printable
 * ASCII only (most names and emails) gets the short ASCII table, other text the whole one
 * (twenty times slower). No lower(): under some locales it folds `I` to `ı`.
 */
export function postgresFolded(x: string): string {
  const asciiFrom: string[] = [];
  const asciiTo: string[] = [];
  const controlFrom: string[] = [];
  for (let code = 1; code < 128; code++) {
    const ch = String.fromCharCode(code);
    if (code < 0x20 || code === 0x7f) controlFrom.push(ch);
    else if (ASCII_SEPARATORS.includes(ch)) {
      asciiFrom.push(ch);
      asciiTo.push(' ');
    } else if (ch !== ch.toLowerCase()) {
      asciiFrom.push(ch);
      asciiTo.push(ch.toLowerCase());
    }
  }
  const from = [...asciiFrom, ...controlFrom, ...MAPPED.map(([ch]) => ch), ...DROPPED].join('');
  const to = [...asciiTo, ...controlFrom.map(() => ' '), ...MAPPED.map(([, folded]) => folded)].join('');
  return `CASE WHEN ${x} ~ '^[ -~]*$'
      THEN translate(${x}, ${postgresString(asciiFrom.join(''))}, ${postgresString(asciiTo.join(''))})
      ELSE translate(${x},
        ${postgresString(from)},
        ${postgresString(to)})
    END`;
}

/** The function the triggers call. */
export function postgresWordsFunction(): string {
  return `CREATE FUNCTION "person_words"("name" text, "email" text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT w FROM regexp_split_to_table(${postgresFolded(`("name" || ' ' || "email")`)}, ' +') w
  WHERE w <> ''
$$;`;
}
