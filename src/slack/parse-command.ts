/**
 * The grammar of `/purchases`: text in, a typed command out, or an AppError whose user
 * message names the bad part and shows the right form.
 */
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { parsePolicyValue, type PolicyValue } from '../domain/policy.js';
import type { ExportTarget } from '../services/export-users.js';
import { SUBSCRIPTION_STATUS_FILTERS, type ListFilters } from '../services/list-subscriptions.js';

export type PurchasesCommand =
  | { kind: 'help'; unknown?: string }
  | { kind: 'list'; filters: ListFilters }
  | { kind: 'show'; subscription: string }
  | { kind: 'licenses'; product: string }
  | { kind: 'export'; target: ExportTarget }
  | { kind: 'takeover'; subscription: string }
  | { kind: 'withdraw'; request: string }
  | { kind: 'centralize'; product: string }
  | { kind: 'policy-list' }
  | { kind: 'policy-set'; product: string; value: PolicyValue }
  | { kind: 'policy-all'; value: PolicyValue }
  | { kind: 'digest' };

export const USAGE = {
  list: '`/purchases list [product] [purchaser:<name>] [status:active|deleted|all] [expiring:<days>]`',
  show: '`/purchases show <subscription id>`',
  licenses: '`/purchases licenses <product>`',
  export: '`/purchases export <product | subscription ids>`',
  takeover: '`/purchases takeover <subscription id>`',
  withdraw: '`/purchases withdraw <request id>`',
  centralize: '`/purchases centralize <product>`',
  policy: '`/purchases policy [<product | ProductId | offer type> <enabled|trials|disabled>]`',
  policyAll: '`/purchases policy all <enabled|trials|disabled>`',
  digest: '`/purchases digest`',
} as const;

/** A subscription reference: a whole id or the first 6+ characters of one (ids are GUIDs). */
export const SUBSCRIPTION_REF = /^[0-9a-f][0-9a-f-]{5,35}$/i;

/** Splits on spaces; "double quotes" (also the curly ones Slack clients type) keep words together. */
export function tokenize(text: string): string[] {
  const normalized = text.replace(/[\u201C\u201D]/g, '"');
  const tokens: string[] = [];
  const pattern = /(\S*?)"([^"]*)"(\S*)|(\S+)/g;
  for (const match of normalized.matchAll(pattern)) {
    if (match[4] !== undefined) tokens.push(match[4]);
    else tokens.push(`${match[1] ?? ''}${match[2] ?? ''}${match[3] ?? ''}`);
  }
  return tokens;
}

const statusSchema = z.enum(SUBSCRIPTION_STATUS_FILTERS);
const expiringSchema = z.coerce.number().int().min(0).max(3650);

function badFilter(what: string): AppError {
  return new AppError(
    'bad_input',
    `bad list filter: ${what}`,
    `${what}\nThe right form: ${USAGE.list}\nExample: \`/purchases list power bi status:all expiring:30\``,
  );
}

function parseList(args: string[]): ListFilters {
  const filters: ListFilters = { status: 'active' };
  const productWords: string[] = [];
  for (const arg of args) {
    const colon = arg.indexOf(':');
    if (colon <= 0) {
      productWords.push(arg);
      continue;
    }
    const key = arg.slice(0, colon).toLowerCase();
    const value = arg.slice(colon + 1).trim();
    switch (key) {
      case 'purchaser':
        if (value === '') throw badFilter('`purchaser:` needs a name or email, e.g. `purchaser:"Ana Lopez"`.');
        filters.purchaser = value;
        break;
      case 'status': {
        const status = statusSchema.safeParse(value.toLowerCase());
        if (!status.success) throw badFilter(`\`status:${value}\` is not a status: use status:active, status:deleted or status:all.`);
        filters.status = status.data;
        break;
      }
      case 'expiring': {
        const days = expiringSchema.safeParse(value);
        if (value === '' || !days.success) {
          throw badFilter(`\`expiring:${value}\` needs a number of days from 0 to 3650, e.g. \`expiring:30\`.`);
        }
        filters.expiringDays = days.data;
        break;
      }
      default:
        throw badFilter(`\`${arg}\` is not a filter I know: use purchaser:, status: or expiring:.`);
    }
  }
  if (productWords.length > 0) filters.product = productWords.join(' ');
  return filters;
}

function subscriptionRef(args: string[], usage: string, example: string): string {
  const ref = requireArgument(args, usage, example);
  if (args.length !== 1 || !SUBSCRIPTION_REF.test(ref)) {
    throw new AppError(
      'bad_input',
      `bad subscription reference ${ref}`,
      `\`${ref}\` is not a subscription id. Use the id shown by \`/purchases list\` (at least its first 6 characters): ${usage}`,
    );
  }
  return ref;
}

function requireArgument(args: string[], usage: string, example: string): string {
  const value = args.join(' ').trim();
  if (value === '') {
    throw new AppError('bad_input', 'missing argument', `This needs an argument: ${usage}\nExample: \`${example}\``);
  }
  return value;
}

function badPolicy(what: string): AppError {
  return new AppError(
    'bad_input',
    `bad policy command: ${what}`,
    `${what}\nThe right form: ${USAGE.policy} or ${USAGE.policyAll}\nExample: \`/purchases policy Power BI Pro disabled\``,
  );
}

/** `policy`, `policy all <value>`, `policy <product words> <value>`: the value is the last word. */
function parsePolicy(args: string[]): PurchasesCommand {
  if (args.length === 0) return { kind: 'policy-list' };
  const last = args[args.length - 1]!;
  const value = parsePolicyValue(last);
  if (args[0]!.toLowerCase() === 'all') {
    if (args.length !== 2 || !value) {
      throw badPolicy('`policy all` needs one value: enabled, trials or disabled, e.g. `/purchases policy all disabled`.');
    }
    return { kind: 'policy-all', value };
  }
  if (!value) {
    const problem =
      args.length === 1
        ? `\`${last}\` needs a value after it: enabled, trials or disabled.`
        : `\`${last}\` is not a policy value: use enabled, trials or disabled (Enabled, OnlyTrialsWithoutPaymentMethod and Disabled work too).`;
    throw badPolicy(problem);
  }
  if (args.length === 1) throw badPolicy('Name the product, its ProductId or an offer type before the value.');
  return { kind: 'policy-set', product: args.slice(0, -1).join(' '), value };
}

export function parsePurchasesCommand(text: string): PurchasesCommand {
  const [first, ...args] = tokenize(text.trim());
  const sub = first?.toLowerCase();
  switch (sub) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list', filters: parseList(args) };
    case 'show':
      return { kind: 'show', subscription: subscriptionRef(args, USAGE.show, '/purchases show 3f2b9c1a') };
    case 'licenses':
      return { kind: 'licenses', product: requireArgument(args, USAGE.licenses, '/purchases licenses Power BI Pro') };
    case 'export': {
      requireArgument(args, USAGE.export, '/purchases export Visio Plan 2');
      const allRefs = args.every((arg) => SUBSCRIPTION_REF.test(arg.replace(/,$/, '')));
      return allRefs
        ? { kind: 'export', target: { kind: 'subscriptions', refs: args.map((arg) => arg.replace(/,$/, '')) } }
        : { kind: 'export', target: { kind: 'product', product: args.join(' ') } };
    }
    case 'takeover':
      return { kind: 'takeover', subscription: subscriptionRef(args, USAGE.takeover, '/purchases takeover 3f2b9c1a') };
    case 'withdraw': {
      const ref = requireArgument(args, USAGE.withdraw, '/purchases withdraw 1a2b3c4d');
      if (args.length !== 1 || !SUBSCRIPTION_REF.test(ref)) {
        throw new AppError('bad_input', 'bad request reference', `That is not a take-over request id. Use the id shown on the request (at least its first 6 characters): ${USAGE.withdraw}`);
      }
      return { kind: 'withdraw', request: ref };
    }
    case 'centralize':
      return { kind: 'centralize', product: requireArgument(args, USAGE.centralize, '/purchases centralize Power BI Pro') };
    case 'policy':
      return parsePolicy(args);
    case 'digest':
      if (args.length > 0) {
        throw new AppError('bad_input', 'digest takes no argument', `\`digest\` takes no argument: ${USAGE.digest} posts the purchases first seen since the last digest.`);
      }
      return { kind: 'digest' };
    default:
      return { kind: 'help', unknown: first };
  }
}
