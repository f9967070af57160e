/** Queries over subscriptions and their license assignments. Keyset paging only: no OFFSET scans. */
import type { Prisma, PrismaClient } from '../client.js';

export type SubscriptionStatus = 'Active' | 'Deleted';

export interface SubscriptionQuery {
  productId?: string;
  purchaserIds?: string[];
  status?: SubscriptionStatus;
  expiresBefore?: Date;
  expiresFrom?: Date;
  selfServiceOnly?: boolean;
}

export interface Keyset {
  purchasedAt: Date;
  id: string;
}

export const subscriptionWithRelations = {
  product: { select: { id: true, name: true } },
  purchaser: { select: { id: true, name: true, email: true, slackUserId: true } },
  _count: { select: { assignments: { where: { removedAt: null } } } },
} satisfies Prisma.SubscriptionInclude;

export type SubscriptionRow = Prisma.SubscriptionGetPayload<{ include: typeof subscriptionWithRelations }>;

function whereOf(query: SubscriptionQuery): Prisma.SubscriptionWhereInput {
  const where: Prisma.SubscriptionWhereInput = {};
  if (query.productId) where.productId = query.productId;
  if (query.purchaserIds) where.purchaserId = { in: query.purchaserIds };
  if (query.status) where.status = query.status;
  if (query.selfServiceOnly) where.isSelfService = true;
  if (query.expiresBefore || query.expiresFrom) {
    where.expiresAt = {
      ...(query.expiresFrom ? { gte: query.expiresFrom } : {}),
      ...(query.expiresBefore ? { lt: query.expiresBefore } : {}),
    };
  }
  return where;
}

/** Newest purchase first. `after` continues downwards, `before` goes back up. */
export async function findSubscriptionsPage(
  prisma: PrismaClient,
  query: SubscriptionQuery,
  page: { size: number; after?: Keyset; before?: Keyset },
): Promise<{ rows: SubscriptionRow[]; hasMore: boolean }> {
  const base = whereOf(query);
  const anchor = page.after ?? page.before;
  const older = page.before === undefined;
  const where: Prisma.SubscriptionWhereInput = anchor
    ? {
        AND: [
          base,
          {
            OR: [
              { purchasedAt: older ? { lt: anchor.purchasedAt } : { gt: anchor.purchasedAt } },
              { purchasedAt: anchor.purchasedAt, id: older ? { lt: anchor.id } : { gt: anchor.id } },
            ],
          },
        ],
      }
    : base;
  const direction = older ? 'desc' : 'asc';
  const rows = await prisma.subscription.findMany({
    where,
    include: subscriptionWithRelations,
    orderBy: [{ purchasedAt: direction }, { id: direction }],
    take: page.size + 1,
  });
  const hasMore = rows.length > page.size;
  const pageRows = rows.slice(0, page.size);
  return { rows: older ? pageRows : pageRows.reverse(), hasMore };
}

export function countSubscriptions(prisma: PrismaClient, query: SubscriptionQuery): Promise<number> {
  return prisma.subscription.count({ where: whereOf(query) });
}

/** A whole id, or an unambiguous prefix of one (at most two rows are read). */
export function findSubscriptionsByRef(prisma: PrismaClient, ref: string): Promise<SubscriptionRow[]> {
  const id = ref.toLowerCase();
  return prisma.subscription.findMany({
    where: id.length === 36 ? { id } : { id: { startsWith: id } },
    include: subscriptionWithRelations,
    orderBy: { id: 'asc' },
    take: 2,
  });
}

export function findSubscriptionsOfProduct(prisma: PrismaClient, productId: string, status?: SubscriptionStatus) {
  return prisma.subscription.findMany({
    where: { productId, ...(status ? { status } : {}) },
    include: subscriptionWithRelations,
    orderBy: [{ isSelfService: 'asc' }, { purchasedAt: 'desc' }, { id: 'desc' }],
  });
}

export const assignmentWithUser = {
  user: { select: { id: true, name: true, email: true } },
} satisfies Prisma.LicenseAssignmentInclude;

export type AssignmentRow = Prisma.LicenseAssignmentGetPayload<{ include: typeof assignmentWithUser }>;

/** Users currently holding a license of these subscriptions, in a stable order, `limit` at a time. */
export function findCurrentAssignments(
  prisma: PrismaClient,
  subscriptionIds: string[],
  page: { limit: number; afterId?: string },
): Promise<AssignmentRow[]> {
  return prisma.licenseAssignment.findMany({
    where: {
      subscriptionId: { in: subscriptionIds },
      removedAt: null,
      ...(page.afterId ? { id: { gt: page.afterId } } : {}),
    },
    include: assignmentWithUser,
    orderBy: { id: 'asc' },
    take: page.limit,
  });
}

export function countCurrentAssignments(prisma: PrismaClient, subscriptionIds: string[]): Promise<number> {
  return prisma.licenseAssignment.count({ where: { subscriptionId: { in: subscriptionIds }, removedAt: null } });
}

/** The first users of one subscription, by name, for display. */
export function findAssignedUsers(prisma: PrismaClient, subscriptionId: string, limit: number): Promise<AssignmentRow[]> {
  return prisma.licenseAssignment.findMany({
    where: { subscriptionId, removedAt: null },
    include: assignmentWithUser,
    orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
    take: limit,
  });
}

/** Subscriptions by id, with what summaries need (rows for unknown ids are simply absent). */
export function findSubscriptionsByIds(prisma: Pick<PrismaClient, 'subscription'>, ids: string[]): Promise<SubscriptionRow[]> {
  return prisma.subscription.findMany({ where: { id: { in: ids } }, include: subscriptionWithRelations });
}

/** Licenses of a subscription removed at one instant (all those one cancellation removed). */
export function countLicensesRemovedAt(prisma: Pick<PrismaClient, 'licenseAssignment'>, subscriptionId: string, at: Date): Promise<number> {
  return prisma.licenseAssignment.count({ where: { subscriptionId, removedAt: at } });
}

/** Self-service subscriptions first seen in (from, to], by product name (the digest's order). */
export function findSelfServiceFirstSeen(prisma: Pick<PrismaClient, 'subscription'>, from: Date | null, to: Date): Promise<SubscriptionRow[]> {
  return prisma.subscription.findMany({
    where: { isSelfService: true, firstSeenAt: { ...(from ? { gt: from } : {}), lte: to } },
    include: subscriptionWithRelations,
    orderBy: [{ product: { name: 'asc' } }, { productId: 'asc' }, { firstSeenAt: 'asc' }, { id: 'asc' }],
  });
}

/** Active self-service subscriptions expiring in [from, to), soonest first (`limit` of them). */
export function findActiveSelfServiceExpiring(
  prisma: Pick<PrismaClient, 'subscription'>,
  from: Date,
  to: Date,
  limit?: number,
): Promise<SubscriptionRow[]> {
  return prisma.subscription.findMany({
    where: { status: 'Active', isSelfService: true, expiresAt: { gte: from, lt: to } },
    include: subscriptionWithRelations,
    orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    ...(limit !== undefined ? { take: limit } : {}),
  });
}

export function countActiveSelfServiceExpiring(prisma: Pick<PrismaClient, 'subscription'>, from: Date, to: Date): Promise<number> {
  return prisma.subscription.count({ where: { status: 'Active', isSelfService: true, expiresAt: { gte: from, lt: to } } });
}

/** Self-service subscriptions by status, and active trials among them. */
export async function countSelfService(prisma: Pick<PrismaClient, 'subscription'>): Promise<{ active: number; deleted: number; trials: number }> {
  const [active, deleted, trials] = await Promise.all([
    prisma.subscription.count({ where: { isSelfService: true, status: 'Active' } }),
    prisma.subscription.count({ where: { isSelfService: true, status: 'Deleted' } }),
    prisma.subscription.count({ where: { isSelfService: true, status: 'Active', isTrial: true } }),
  ]);
  return { active, deleted, trials };
}

/** What active self-service subscriptions cost: licenses, unit price and product of each. */
export function findActiveSelfServicePrices(prisma: Pick<PrismaClient, 'subscription'>) {
  return prisma.subscription.findMany({
    where: { isSelfService: true, status: 'Active' },
    select: { status: true, licensesPurchased: true, unitPriceMinor: true, currency: true, product: { select: { id: true, name: true } } },
  });
}

/** Everyone holding a license of these subscriptions now, by name. */
export function findHolders(prisma: Pick<PrismaClient, 'licenseAssignment'>, subscriptionIds: string[]) {
  return prisma.licenseAssignment.findMany({
    where: { subscriptionId: { in: subscriptionIds }, removedAt: null },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
  });
}
