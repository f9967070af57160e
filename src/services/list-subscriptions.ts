/**
 * `/purchases list`: a page of self-service subscriptions, newest purchase first.
 * Paging is keyset-based; the cursor carries the resolved filters and the anchor row, so a
 * Next/Previous button's value is the cursor alone.
 */
import { addDays } from 'date-fns';
import { z } from 'zod';
import { findPurchasersExactly, listProducts } from '../db/repositories/catalog.js';
import { anyPurchaserWithWords } from '../db/repositories/person-words.js';
import { findSubscriptionsPage, type SubscriptionQuery } from '../db/repositories/subscriptions.js';
import { AppError } from '../domain/errors.js';
import { quoteInput } from '../domain/text.js';
import { matchProduct } from '../domain/products.js';
import { MAX_SEARCH_WORDS, searchPrefixes } from '../domain/words.js';
import { ACTIVE_STATUS, DELETED_STATUS } from '../domain/spend.js';
import type { ServiceContext } from './context.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const PAGE_SIZE = 20;
/** Totals are counted up to here, then shown as "1,000+": a page must not cost a count of the whole tenant. */
export const TOTAL_CAP = 1000;

export const SUBSCRIPTION_STATUS_FILTERS = ['active', 'deleted', 'all'] as const;
export type StatusFilter = (typeof SUBSCRIPTION_STATUS_FILTERS)[number];

/** What to list: a product (name, ProductId or part of a name), a purchaser, a status, an expiry horizon. */
export interface ListFilters {
  product?: string;
  purchaser?: string;
  status: StatusFilter;
  expiringDays?: number;
}

const cursorSchema = z.object({
  v: z.literal(1),
  f: z.object({
    productId: z.string().max(40).optional(),
    productName: z.string().max(200).optional(),
    purchaser: z.string().max(200).optional(),
    status: z.enum(SUBSCRIPTION_STATUS_FILTERS),
    expiringDays: z.number().int().min(0).max(3650).optional(),
  }),
  a: z.object({ p: z.iso.datetime(), i: z.string().max(64) }),
  d: z.enum(['next', 'prev']),
});

type ResolvedFilters = z.infer<typeof cursorSchema>['f'];

export interface SubscriptionPage {
  items: SubscriptionSummary[];
  /** How many subscriptions match, at most TOTAL_CAP; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  filters: ResolvedFilters;
  nextCursor?: string;
  prevCursor?: string;
}

function encodeCursor(filters: ResolvedFilters, anchor: SubscriptionSummary, d: 'next' | 'prev'): string {
  const payload: z.infer<typeof cursorSchema> = { v: 1, f: filters, a: { p: anchor.purchasedAt.toISOString(), i: anchor.id }, d };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw new AppError('bad_input', 'invalid list cursor', 'That page link is no longer valid. Run `/purchases list` again.', { cause: error });
  }
}

async function resolveFilters(ctx: ServiceContext, filters: ListFilters): Promise<ResolvedFilters> {
  const resolved: ResolvedFilters = { status: filters.status };
  if (filters.product) {
    const product = matchProduct(filters.product, await listProducts(ctx.prisma));
    resolved.productId = product.id;
    resolved.productName = product.name;
  }
  if (filters.purchaser) resolved.purchaser = filters.purchaser;
  if (filters.expiringDays !== undefined) resolved.expiringDays = filters.expiringDays;
  return resolved;
}

/**
 * purchaser:<text> matches an exact email or an exact name of several words (in any case) first,
 * through the indexes (Person.email, Person.searchName); otherwise the purchasers with a word starting with
 * each word of the text (`desai`, `"meera des"`, `meera.desai@contoso`), through the word index
 * (PersonWord). Either way a page reads what it shows, not every purchaser (the cursor keeps the
 * text, and each page looks it up again).
 */
async function purchaserFilter(ctx: ServiceContext, text: string): Promise<Pick<SubscriptionQuery, 'purchaserIds' | 'purchaserWords'>> {
  const prefixes = searchPrefixes(text);
  // One word and no @: an email it cannot be, and a one-word name is found by its start as well.
  if (prefixes.length > 1 || text.includes('@')) {
    const indexed = await findPurchasersExactly(ctx.prisma, text);
    if (indexed.length > 0) return { purchaserIds: indexed.map((p) => p.id) };
  }
  if (prefixes.length === 0) throw noPurchaserMatches(text);
  if (prefixes.length > MAX_SEARCH_WORDS) {
    throw new AppError(
      'bad_input',
      `too many words in purchaser ${text}`,
      `${quoteInput(text)} has ${prefixes.length} words: \`purchaser:\` takes up to ${MAX_SEARCH_WORDS}, e.g. \`purchaser:"meera des"\`.`,
    );
  }
  return { purchaserWords: prefixes };
}

function noPurchaserMatches(text: string): AppError {
  return new AppError(
    'not_found',
    `no purchaser matches ${text}`,
    `No purchaser matches ${quoteInput(text)}. \`purchaser:\` finds an email, a whole name, or the start of each word of a name or email, e.g. \`purchaser:desai\`, \`purchaser:"meera des"\` or \`purchaser:meera.desai@contoso.com\`.`,
  );
}

async function toQuery(ctx: ServiceContext, filters: ResolvedFilters): Promise<SubscriptionQuery> {
  const statusOf: Record<StatusFilter, SubscriptionQuery['status']> = { active: ACTIVE_STATUS, deleted: DELETED_STATUS, all: undefined };
  const query: SubscriptionQuery = { selfServiceOnly: true };
  if (filters.productId) query.productId = filters.productId;
  if (filters.purchaser) Object.assign(query, await purchaserFilter(ctx, filters.purchaser));
  const status = statusOf[filters.status];
  if (status) query.status = status;
  if (filters.expiringDays !== undefined) {
    query.expiresFrom = ctx.now;
    query.expiresBefore = addDays(ctx.now, filters.expiringDays);
  }
  return query;
}

export async function listSubscriptions(ctx: ServiceContext, request: { filters: ListFilters } | { cursor: string }): Promise<SubscriptionPage> {
  const cursor = 'cursor' in request ? decodeCursor(request.cursor) : undefined;
  const filters = 'filters' in request ? await resolveFilters(ctx, request.filters) : cursor!.f;
  const query = await toQuery(ctx, filters);
  const anchor = cursor ? { purchasedAt: new Date(cursor.a.p), id: cursor.a.i } : undefined;
  const {
    rows,
    hasMore,
    total: counted,
  } = await findSubscriptionsPage(ctx.prisma, query, {
    size: PAGE_SIZE,
    countUpTo: TOTAL_CAP,
    ...(anchor && cursor?.d === 'next' ? { after: anchor } : {}),
    ...(anchor && cursor?.d === 'prev' ? { before: anchor } : {}),
  });
  // No subscription: say so when no purchaser has those words at all (not when the other filters leave none).
  if (counted === 0 && query.purchaserWords && !(await anyPurchaserWithWords(ctx.prisma, query.purchaserWords))) {
    throw noPurchaserMatches(filters.purchaser ?? '');
  }
  const items = rows.map(toSummary);
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = cursor?.d === 'prev' ? true : hasMore;
  const hasPrev = cursor === undefined ? false : cursor.d === 'next' ? true : hasMore;
  return {
    items,
    total: Math.min(counted, TOTAL_CAP),
    totalCapped: counted > TOTAL_CAP,
    filters,
    ...(hasNext && last ? { nextCursor: encodeCursor(filters, last, 'next') } : {}),
    ...(hasPrev && first ? { prevCursor: encodeCursor(filters, first, 'prev') } : {}),
  };
}
