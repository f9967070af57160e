/**
 * The grammar of `/purchases`: text in, a typed command out, or an AppError whose user
 * message names the bad part (quoted short and escaped) and shows the right form.
 */
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { parsePolicyValue, POLICY_WORDS, type PolicyValue } from '../domain/policy.js';
import { closestWord, quoteInput, unescapeSlack } from '../domain/text.js';
import type { ExportTarget } from '../services/export-users.js';
import { SUBSCRIPTION_STATUS_FILTERS, type ListFilters } from '../services/list-subscriptions.js';

export type PurchasesCommand =
  | { kind: 'help'; unknown?: string; suggestion?: Subcommand }
  | { kind: 'list'; filters: ListFilters; hint?: string }
  | { kind: 'show'; subscription: string }
  | { kind: 'licenses'; product: string }
  | { kind: 'export'; target: ExportTarget }
  | { kind: 'takeover'; subscription: string }
  | { kind: 'withdraw'; request: string }
  | { kind: 'centralize'; product: string }
  | { kind: 'policy-list' }
  | { kind: 'policy-show'; product: string; hint?: string }
  | { kind: 'policy-set'; product: string; value: PolicyValue }
  | { kind: 'policy-all'; value: PolicyValue }
  | { kind: 'digest' }
  | { kind: 'savings' }
  | { kind: 'report' }
  | { kind: 'sync' }
  | { kind: 'mark'; subscription: string; selfService: boolean }
  | { kind: 'import'; product?: string };

export const SUBCOMMANDS = [
  'list',
  'show',
  'licenses',
  'export',
  'takeover',
  'centralize',
  'policy',
  'digest',
  'savings',
  'report',
  'sync',
  'mark',
  'import',
  'help',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export const USAGE = {
  list: '`/purchases list [product] [purchaser:<name>] [status:active|deleted|all] [expiring:<days>]`',
  show: '`/purchases show <subscription id>`',
  licenses: '`/purchases licenses <product>`',
  export: '`/purchases export <product | subscription ids>`',
  takeover: '`/purchases takeover <subscription id>`',
  withdraw: '`/purchases withdraw <request id>`',
  centralize: '`/purchases centralize <product>`',
  policy: '`/purchases policy [<product | ProductId | offer type> [enabled|trials|disabled]]`',
  policyAll: '`/purchases policy all <enabled|trials|disabled>`',
  digest: '`/purchases digest`',
  savings: '`/purchases savings`',
  report: '`/purchases report`',
  sync: '`/purchases sync`',
  mark: '`/purchases mark <subscription id> self-service|central`',
  import: '`/purchases import [product]`',
} as const;

/** A subscription reference: a whole id or the first 6+ characters of one (ids are GUIDs). */
export const SUBSCRIPTION_REF = /^[0-9a-f][0-9a-f-]{5,35}$/i;

/** How to quote a name with spaces, in every reply that has to say it. */
const HOW_TO_QUOTE = 'Put a name with spaces in quotes, e.g. `purchaser:"Meera Desai"` (double or single, straight or curly quotes).';

/** One word of the command, or a quoted group of words; `quoted` says which, `keyed` whether a filter name came first. */
export interface Token {
  text: string;
  quoted: boolean;
  /** `purchaser:"Meera Desai"`: the words after `filter:` were quoted, not the filter's name. */
  keyed: boolean;
}

/** Each opening quote and the quotes that close it (Slack clients may turn " into “ ” and ' into ‘ ’). */
const CLOSERS: Record<string, string> = {
  '"': '"“”',
  '“': '”"',
  '”': '”"',
  '„': '“”"',
  "'": "'’",
  '‘': "’'",
  '’': "’'",
};

function unclosedQuote(rest: string): AppError {
  return new AppError(
    'bad_input',
    'unclosed quote',
    `The quote that starts ${quoteInput(rest)} is never closed, so I could not tell where the name ends. ${HOW_TO_QUOTE}`,
  );
}

/**
 * Splits on spaces. A quote at the start of a word, or right after `filter:`, groups words until
 * the same kind of quote ends a word; a quote inside a word (O'Brien) is a letter like any other.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = '';
    let quoted = false;
    let keyed = false;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const char = text[i]!;
      const opensQuote = CLOSERS[char] !== undefined && (word === '' || /^[a-z]+:$/i.test(word));
      if (!opensQuote) {
        word += char;
        i++;
        continue;
      }
      const closers = CLOSERS[char]!;
      let end = -1;
      for (let j = i + 1; j < text.length; j++) {
        if (closers.includes(text[j]!) && (j + 1 === text.length || /\s/.test(text[j + 1]!))) {
          end = j;
          break;
        }
      }
      if (end < 0) throw unclosedQuote(text.slice(i));
      keyed = word !== '';
      word += text
        .slice(i + 1, end)
        .trim()
        .replace(/\s+/g, ' ');
      quoted = true;
      i = end + 1;
    }
    tokens.push({ text: word, quoted, keyed });
  }
  return tokens;
}

const statusSchema = z.enum(SUBSCRIPTION_STATUS_FILTERS);
const expiringSchema = z.coerce.number().int().min(0).max(3650);
const FILTERS = ['purchaser', 'status', 'expiring'] as const;

function badFilter(what: string): AppError {
  return new AppError(
    'bad_input',
    `bad list filter: ${what}`,
    `${what}\nThe right form: ${USAGE.list}\nExample: \`/purchases list Power BI Pro status:all expiring:30\``,
  );
}

function didYouMean(suggestion: string | undefined, as: (word: string) => string): string {
  return suggestion ? ` Did you mean ${as(suggestion)}?` : '';
}

function parseList(tokens: Token[]): { kind: 'list'; filters: ListFilters; hint?: string } {
  const filters: ListFilters = { status: 'active' };
  const productWords: string[] = [];
  let hint: string | undefined;
  let unquotedPurchaser: { value: string; at: number } | undefined;
  for (const [index, token] of tokens.entries()) {
    const colon = token.quoted && !token.keyed ? -1 : token.text.indexOf(':');
    if (colon <= 0) {
      productWords.push(token.text);
      continue;
    }
    const key = token.text.slice(0, colon).toLowerCase();
    const value = token.text.slice(colon + 1).trim();
    switch (key) {
      case 'purchaser':
        if (value === '')
          throw badFilter(`\`purchaser:\` needs a name or an email after it, with no space, e.g. \`purchaser:meera\` or \`purchaser:"Meera Desai"\`.`);
        filters.purchaser = value;
        if (!token.quoted) unquotedPurchaser = { value, at: index };
        break;
      case 'status': {
        const status = statusSchema.safeParse(value.toLowerCase());
        if (!status.success) {
          const near = closestWord(value, SUBSCRIPTION_STATUS_FILTERS);
          throw badFilter(
            `${quoteInput(token.text)} is not a status: use status:active, status:deleted or status:all.${didYouMean(near, (w) => `\`status:${w}\``)}`,
          );
        }
        filters.status = status.data;
        break;
      }
      case 'expiring': {
        const days = expiringSchema.safeParse(value);
        if (value === '' || !days.success) {
          throw badFilter(`${quoteInput(token.text)} needs a number of days from 0 to 3650, e.g. \`expiring:30\`.`);
        }
        filters.expiringDays = days.data;
        break;
      }
      default: {
        const near = closestWord(key, FILTERS);
        throw badFilter(`${quoteInput(token.text)} is not a filter I know: use purchaser:, status: or expiring:.${didYouMean(near, (w) => `\`${w}:\``)}`);
      }
    }
  }
  if (productWords.length > 0) filters.product = productWords.join(' ');
  // `purchaser:Meera Desai` reads as purchaser "Meera" and product "Desai": say so if that fails.
  const next = unquotedPurchaser ? tokens[unquotedPurchaser.at + 1] : undefined;
  if (unquotedPurchaser && next && !next.quoted && !next.text.includes(':')) {
    hint =
      `I read ${quoteInput(`purchaser:${unquotedPurchaser.value}`)} as the purchaser and ${quoteInput(productWords.join(' '))} as the product. ` +
      `If the name goes on, put it in quotes: ${quoteInput(`purchaser:"${unquotedPurchaser.value} ${next.text}"`, 80)}.`;
  }
  return { kind: 'list', filters, ...(hint ? { hint } : {}) };
}

function subscriptionRef(tokens: Token[], usage: string, example: string): string {
  const ref = requireArgument(tokens, usage, example);
  if (tokens.length !== 1 || !SUBSCRIPTION_REF.test(ref)) {
    throw new AppError(
      'bad_input',
      `bad subscription reference ${ref}`,
      `${quoteInput(ref)} is not a subscription id. Use the id shown by \`/purchases list\` (at least its first 6 characters): ${usage}`,
    );
  }
  return ref;
}

function requireArgument(tokens: Token[], usage: string, example: string): string {
  const value = tokens
    .map((t) => t.text)
    .join(' ')
    .trim();
  if (value === '') {
    throw new AppError('bad_input', 'missing argument', `This needs an argument: ${usage}\nExample: \`${example}\``);
  }
  return value;
}

/** `export <product words>` or `export <id> <id> …`; a mix names what is not an id. */
function parseExport(tokens: Token[]): PurchasesCommand {
  requireArgument(tokens, USAGE.export, '/purchases export Visio Plan 2');
  const words = tokens.map((t) => t.text.replace(/,$/, '')).filter((word) => word !== '');
  const notIds = words.filter((word) => !SUBSCRIPTION_REF.test(word));
  if (notIds.length === 0) return { kind: 'export', target: { kind: 'subscriptions', refs: words } };
  if (SUBSCRIPTION_REF.test(words[0]!)) {
    const named = notIds
      .slice(0, 3)
      .map((word) => quoteInput(word))
      .join(', ');
    const more = notIds.length > 3 ? ` and ${notIds.length - 3} more` : '';
    throw new AppError(
      'bad_input',
      'export: not subscription ids',
      `${named}${more} ${notIds.length === 1 ? 'is not a subscription id' : 'are not subscription ids'}: list ids as \`/purchases list\` shows them (at least their first 6 characters), or name one product alone.\nThe right form: ${USAGE.export}`,
    );
  }
  return { kind: 'export', target: { kind: 'product', product: words.join(' ') } };
}

function badPolicy(what: string): AppError {
  return new AppError(
    'bad_input',
    `bad policy command: ${what}`,
    `${what}\nThe right form: ${USAGE.policy} or ${USAGE.policyAll}\nExample: \`/purchases policy Power BI Pro disabled\``,
  );
}

const VALUE_WORDS = 'enabled, trials or disabled (Enabled, OnlyTrialsWithoutPaymentMethod and Disabled work too)';

/**
 * `policy`, `policy all <value>`, `policy <product words> <value>`: the value is the last word.
 * Without a value, `policy <product>` shows that product's policy and the values it can take.
 */
function parsePolicy(tokens: Token[]): PurchasesCommand {
  const words = tokens.map((t) => t.text);
  if (words.length === 0) return { kind: 'policy-list' };
  const last = words[words.length - 1]!;
  const value = parsePolicyValue(last);
  if (words[0]!.toLowerCase() === 'all' && !tokens[0]!.quoted) {
    if (words.length !== 2 || !value) {
      const near = words.length === 2 ? closestWord(last, POLICY_WORDS) : undefined;
      throw badPolicy(
        `\`policy all\` needs one value: enabled, trials or disabled, e.g. \`/purchases policy all disabled\`.${didYouMean(near, (w) => `\`policy all ${w}\``)}`,
      );
    }
    return { kind: 'policy-all', value };
  }
  if (value) {
    if (words.length === 1) throw badPolicy('Name the product, its ProductId or an offer type before the value.');
    return { kind: 'policy-set', product: words.slice(0, -1).join(' '), value };
  }
  const near = words.length > 1 ? closestWord(last, POLICY_WORDS) : undefined;
  if (near) throw badPolicy(`${quoteInput(last)} is not a policy value: did you mean \`${near}\`? Use ${VALUE_WORDS}.`);
  const hint =
    words.length > 1
      ? `If ${quoteInput(last)} was meant as the new value: ${quoteInput(last)} is not a policy value. Use ${VALUE_WORDS}.\nThe right form: ${USAGE.policy} or ${USAGE.policyAll}`
      : undefined;
  return { kind: 'policy-show', product: words.join(' '), ...(hint ? { hint } : {}) };
}

/** `mark <subscription> self-service|central`: an admin's word on whether it is a self-service purchase. */
function parseMark(tokens: Token[]): PurchasesCommand {
  const example = '/purchases mark 3f2b9c1a central';
  const [ref, value, ...extra] = tokens.map((t) => t.text);
  const badMark = (what: string) => new AppError('bad_input', `bad mark command: ${what}`, `${what}\nThe right form: ${USAGE.mark}\nExample: \`${example}\``);
  if (!ref) throw badMark('`mark` needs a subscription id and what it is: self-service or central.');
  if (!SUBSCRIPTION_REF.test(ref))
    throw badMark(`${quoteInput(ref)} is not a subscription id: use the id shown by \`/purchases list\` (at least its first 6 characters).`);
  if (!value) throw badMark(`Say what subscription ${quoteInput(ref)} is: self-service or central.`);
  if (extra.length > 0) throw badMark(`\`mark\` takes a subscription id and one word, self-service or central; ${quoteInput(extra.join(' '))} is too much.`);
  const word = value.toLowerCase().replace(/[\s_-]/g, '');
  if (word === 'selfservice' || word === 'self') return { kind: 'mark', subscription: ref, selfService: true };
  if (word === 'central') return { kind: 'mark', subscription: ref, selfService: false };
  throw badMark(`${quoteInput(value)} is neither self-service nor central.`);
}

function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

/** `text` as Slack sends it (with `&`, `<` and `>` escaped). */
export function parsePurchasesCommand(text: string): PurchasesCommand {
  const [first, ...args] = tokenize(unescapeSlack(text).trim());
  const sub = first?.text.toLowerCase();
  switch (sub) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'list':
      return parseList(args);
    case 'show':
      return { kind: 'show', subscription: subscriptionRef(args, USAGE.show, '/purchases show 3f2b9c1a') };
    case 'licenses':
      return { kind: 'licenses', product: requireArgument(args, USAGE.licenses, '/purchases licenses Visio Plan 2') };
    case 'export':
      return parseExport(args);
    case 'takeover':
      return { kind: 'takeover', subscription: subscriptionRef(args, USAGE.takeover, '/purchases takeover 3f2b9c1a') };
    case 'withdraw': {
      const ref = requireArgument(args, USAGE.withdraw, '/purchases withdraw 1a2b3c4d');
      if (args.length !== 1 || !SUBSCRIPTION_REF.test(ref)) {
        throw new AppError(
          'bad_input',
          'bad request reference',
          `That is not a take-over request id. Use the id shown on the request (at least its first 6 characters): ${USAGE.withdraw}`,
        );
      }
      return { kind: 'withdraw', request: ref };
    }
    case 'centralize':
      return { kind: 'centralize', product: requireArgument(args, USAGE.centralize, '/purchases centralize Power BI Pro') };
    case 'policy':
      return parsePolicy(args);
    case 'digest':
      if (args.length > 0) {
        throw new AppError(
          'bad_input',
          'digest takes no argument',
          `\`digest\` takes no argument: ${USAGE.digest} posts the purchases first seen since the last digest.`,
        );
      }
      return { kind: 'digest' };
    case 'savings':
      if (args.length > 0) {
        throw new AppError(
          'bad_input',
          'savings takes no argument',
          `\`savings\` takes no argument: ${USAGE.savings} lists what could be saved, largest amounts first.`,
        );
      }
      return { kind: 'savings' };
    case 'report':
      if (args.length > 0) {
        throw new AppError(
          'bad_input',
          'report takes no argument',
          `\`report\` takes no argument: ${USAGE.report} posts the weekly report to the admins' channel now.`,
        );
      }
      return { kind: 'report' };
    case 'sync':
      if (args.length > 0) {
        throw new AppError(
          'bad_input',
          'sync takes no argument',
          `\`sync\` takes no argument: ${USAGE.sync} reads subscriptions, seats and licenses from Microsoft 365 now.`,
        );
      }
      return { kind: 'sync' };
    case 'mark':
      return parseMark(args);
    case 'import': {
      const product = args
        .map((t) => t.text)
        .join(' ')
        .trim();
      return product ? { kind: 'import', product } : { kind: 'import' };
    }
    default: {
      const suggestion = closestWord(sub, SUBCOMMANDS);
      return { kind: 'help', unknown: first!.text, ...(suggestion && isSubcommand(suggestion) ? { suggestion } : {}) };
    }
  }
}
