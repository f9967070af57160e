/**
 * `/purchases licenses <product>`: the product's available quantity (the total of all its
 * active subscriptions, self-service and central), and its users grouped by purchaser, a page of
 * groups at a time: the central subscriptions first, then the purchasers holding most licenses.
 * A page reads its own groups' users only; the export has everyone.
 */
import { z } from 'zod';
import { findUnattributedHolders } from '../db/repositories/attribution.js';
import { listProducts } from '../db/repositories/catalog.js';
import { findLicenseGroupMembers, findLicenseGroups } from '../db/repositories/licenses.js';
import { AppError } from '../domain/errors.js';
import { matchProduct, PRODUCT_KEY_SOURCE } from '../domain/products.js';
import type { ServiceContext } from './context.js';
import { shortId } from './subscription-summary.js';

/** Users listed per purchaser group; the rest are counted (the export has them all). */
export const USERS_PER_GROUP = 15;
/** Purchaser groups on one page. */
export const GROUPS_PER_PAGE = 20;

export interface PurchaserGroup {
  /** null for centrally bought subscriptions. */
  purchaser: { id: string; name: string; email: string; slackUserId: string | null } | null;
  subscriptions: Array<{ id: string; shortId: string }>;
  licenses: number;
  assigned: number;
  users: Array<{ name: string; email: string }>;
}

export interface ProductLicenses {
  product: { id: string; name: string };
  available: number;
  assigned: number;
  free: number;
  groups: PurchaserGroup[];
  /**
   * People Microsoft 365 says hold the product's license, attributed to none of its subscriptions
   * (Graph assigns licenses per product; with several subscriptions only an import attributes).
   */
  unattributed: { count: number; users: Array<{ name: string; email: string }> };
  /** Where this page's groups start among all of them (0-based), and how many groups there are. */
  offset: number;
  groupCount: number;
  nextCursor?: string;
  prevCursor?: string;
}

// A button value: the ProductId and the offset of the page's first group.
const cursorSchema = z.string().regex(new RegExp(`^${PRODUCT_KEY_SOURCE}:\\d{1,7}$`));

function encodeCursor(productId: string, offset: number): string {
  return `${productId}:${offset}`;
}

/** The product and page a Next / Previous button asks for. */
export function decodeLicensesCursor(value: string): { productId: string; offset: number } {
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('bad_input', 'invalid licenses cursor', 'That page link is no longer valid. Run `/purchases licenses <product>` again.');
  }
  const at = parsed.data.lastIndexOf(':');
  return { productId: parsed.data.slice(0, at), offset: Number(parsed.data.slice(at + 1)) };
}

export async function productLicenses(ctx: ServiceContext, productQuery: string, offset = 0): Promise<ProductLicenses> {
  const product = matchProduct(productQuery, await listProducts(ctx.prisma));
  let start = offset;
  let page = await findLicenseGroups(ctx.prisma, product.id, { offset: start, size: GROUPS_PER_PAGE + 1 });
  if (page.rows.length === 0 && start > 0) {
    // A page past the end (groups went away since the button was drawn): start over.
    start = 0;
    page = await findLicenseGroups(ctx.prisma, product.id, { offset: start, size: GROUPS_PER_PAGE + 1 });
  }
  const rows = page.rows.slice(0, GROUPS_PER_PAGE);
  const purchaserIds = rows.flatMap((r) => (r.purchaser ? [r.purchaser.id] : []));
  const members = await findLicenseGroupMembers(
    ctx.prisma,
    product.id,
    purchaserIds,
    rows.some((r) => r.purchaser === null),
    USERS_PER_GROUP,
  );
  const groups = rows.map((row) => {
    const key = row.purchaser?.id ?? null;
    return {
      purchaser: row.purchaser,
      subscriptions: members.subscriptions.filter((s) => s.purchaserId === key).map((s) => ({ id: s.id, shortId: shortId(s.id) })),
      licenses: row.licenses,
      assigned: row.assigned,
      users: members.users.filter((u) => u.purchaserId === key).map((u) => ({ name: u.name, email: u.email })),
    };
  });
  const unattributed = await findUnattributedHolders(ctx.prisma, product.id, USERS_PER_GROUP);
  return {
    product: { id: product.id, name: product.name },
    available: page.available,
    assigned: page.assigned,
    free: Math.max(0, page.available - page.assigned),
    groups,
    unattributed,
    offset: start,
    groupCount: page.groups,
    ...(page.rows.length > GROUPS_PER_PAGE ? { nextCursor: encodeCursor(product.id, start + GROUPS_PER_PAGE) } : {}),
    ...(start > 0 ? { prevCursor: encodeCursor(product.id, Math.max(0, start - GROUPS_PER_PAGE)) } : {}),
  };
}
