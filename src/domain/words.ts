/**
 * The words a person is found by (`list purchaser:<text>`): their name and email folded and cut
 * into words. The database keeps them (PersonWord, filled by triggers on Person: the migration
 * 20261202062828_person_words); the text an admin types is folded and cut here the same way, and
 * each of its words must be the start of one of the person's words.
 *
 * Folding is one table of characters, the same in JavaScript, SQLite and PostgreSQL, so the three
 * agree whatever the database's locale (SQLite's lower() folds ASCII only; PostgreSQL's follows
 * its LC_CTYPE, ASCII only under "C"). It folds:
 * - ASCII letters to lower case; ASCII punctuation, control characters and a few others
 *   (no-break space, typographic quotes and dashes) separate words;
 * - Latin letters (Latin-1, Extended-A and -B, Extended Additional: Vietnamese) and Greek letters
 *   to lower case without their accents: `é`, `É` and `e` are one letter, `Đ` is `đ`;
 * - Cyrillic letters to lower case, accents kept (`й` is not `и`);
 * - combining accents (U+0300–U+036F, a name stored decomposed) are dropped.
 * Anything else is kept as it is: another script's upper and lower case are two letters.
 */

const RANGES_WITHOUT_ACCENTS: Array<[number, number]> = [
  [0x00c0, 0x024f],
  [0x0370, 0x03ff],
  [0x1e00, 0x1eff],
];
const RANGES_LOWER_CASE: Array<[number, number]> = [[0x0400, 0x045f]];
const COMBINING_ACCENTS: [number, number] = [0x0300, 0x036f];
const OTHER_SEPARATORS = '\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00b7';

/** ASCII punctuation: each separates words (an email's `@ . _ - +` among them). */
export const ASCII_SEPARATORS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Every non-ASCII character the fold changes, and what it becomes: one character ('' for a
 * combining accent, ' ' for a separator). ASCII is folded by rule (`foldAscii`).
 */
export const FOLDED_CHARACTERS: ReadonlyMap<string, string> = (() => {
  const table = new Map<string, string>();
  const add = (ranges: Array<[number, number]>, fold: (ch: string) => string) => {
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code++) {
        const ch = String.fromCodePoint(code);
        const folded = fold(ch);
        // A few fold to punctuation (the Greek question mark is `;`): a separator, as that is.
        const value = ASCII_SEPARATORS.includes(folded) || OTHER_SEPARATORS.includes(folded) ? ' ' : folded;
        if (value !== ch && [...value].length === 1) table.set(ch, value);
      }
    }
  };
  add(RANGES_WITHOUT_ACCENTS, (ch) => stripAccents(ch.toLowerCase()));
  add(RANGES_LOWER_CASE, (ch) => ch.toLowerCase());
  for (let code = COMBINING_ACCENTS[0]; code <= COMBINING_ACCENTS[1]; code++) table.set(String.fromCodePoint(code), '');
  for (const ch of OTHER_SEPARATORS) table.set(ch, ' ');
  return table;
})();

function foldCharacter(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return ' ';
  if (code < 0x80) return ASCII_SEPARATORS.includes(ch) ? ' ' : ch.toLowerCase();
  return FOLDED_CHARACTERS.get(ch) ?? ch;
}

/**
 * `text` folded as the database folds a name: see the module's comment. Not normalized first
 * (the databases cannot): a decomposed accent is dropped, a composed one is in the table.
 */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldCharacter(ch);
  return out;
}

/** The words of a text, folded, in order, each once. */
export function wordsOf(text: string): string[] {
  return [
    ...new Set(
      foldText(text)
        .split(' ')
        .filter((word) => word !== ''),
    ),
  ];
}

/** A person's words as the database keeps them: those of the name and those of the email. */
export function personWords(name: string, email: string): string[] {
  return wordsOf(`${name} ${email}`);
}

export const MAX_SEARCH_WORDS = 8;

/**
 * The word starts to look for, from what an admin typed: its words, less those that start
 * another of them (a word starting with `meeran` starts with `meera` too), longest first (the
 * rarest, as a guess: the lookup reads the first one's range). Empty when the text has no word.
 */
export function searchPrefixes(text: string): string[] {
  const words = wordsOf(text);
  return words.filter((word) => !words.some((other) => other !== word && other.startsWith(word))).sort((a, b) => b.length - a.length);
}

/**
 * The least string greater than every string that starts with `prefix`, in code point order
 * (SQLite's BINARY collation; PostgreSQL's "C" and "C.UTF-8"): the last character, one higher.
 */
export function afterWordPrefix(prefix: string): string {
  const characters = [...prefix];
  const last = characters.pop()!.codePointAt(0)!;
  // U+D7FF is followed, in UTF-8 byte order, by U+E000 (the surrogates are not characters).
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  return characters.join('') + String.fromCodePoint(next);
}
