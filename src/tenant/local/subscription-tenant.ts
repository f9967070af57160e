/**
 * The `local` adapter of SubscriptionTenant: the database is the tenant. Each change runs in one
 * transaction; seats are counted inside it after a conditional update on the subscription rows
 * involved (which locks them on PostgreSQL and serialises writers on SQLite), so two changes
 * racing for the same free seats cannot both take them. Rows are never deleted: a license
 * removed gets `removedAt`, a cancelled subscription keeps who, when and why.
 */
import { plural } from '../../domain/plural.js';
import type { PrismaClient, Tx } from '../../db/client.js';
import { countCurrentLicenses, countGranteesWithout, grantLicenses, type Grantees } from '../../db/repositories/licenses.js';
import type { AssignLicensesInput, CancelSubscriptionInput, MoveUsersInput, SubscriptionTenant, TenantChange } from '../port.js';

class Refused extends Error {}

async function touchActive(tx: Tx, subscriptionId: string, now: Date): Promise<{ licensesPurchased: number }> {
  const touched = await tx.subscription.updateMany({ where: { id: subscriptionId, status: 'Active' }, data: { updatedAt: now } });
  if (touched.count === 0) throw new Refused(`subscription ${subscriptionId.slice(0, 8)} is no longer active`);
  return tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId }, select: { licensesPurchased: true } });
}

/**
 * Gives the grantees a license of the subscription (reactivating an old row), all or none;
 * returns how many were new. Counted and written in the database, whatever their number.
 */
async function grant(tx: Tx, subscriptionId: string, grantees: Grantees, now: Date): Promise<number> {
  const { licensesPurchased } = await touchActive(tx, subscriptionId, now);
  const needed = await countGranteesWithout(tx, subscriptionId, grantees);
  const free = licensesPurchased - (await countCurrentLicenses(tx, subscriptionId));
  if (needed > free) {
    const missing = needed - free;
    throw new Refused(
      `subscription ${subscriptionId.slice(0, 8)} has ${plural(Math.max(0, free), 'free license')} for ${plural(needed, 'user')}: ${plural(missing, 'license is', 'licenses are')} missing`,
    );
  }
  if (needed > 0) await grantLicenses(tx, subscriptionId, grantees, now);
  return needed;
}

async function cancel(tx: Tx, subscriptionId: string, by: { actor: string; reason: string; comment: string | null; now: Date }): Promise<number> {
  const cancelled = await tx.subscription.updateMany({
    where: { id: subscriptionId, status: 'Active' },
    data: { status: 'Deleted', cancelledAt: by.now, cancelledBy: by.actor, cancelReason: by.reason, cancelComment: by.comment },
  });
  if (cancelled.count === 0) throw new Refused(`subscription ${subscriptionId.slice(0, 8)} is no longer active`);
  const removed = await tx.licenseAssignment.updateMany({ where: { subscriptionId, removedAt: null }, data: { removedAt: by.now } });
  return removed.count;
}

async function refusable<T>(work: () => Promise<T>): Promise<TenantChange<T>> {
  try {
    return { ok: true, ...(await work()) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Prisma ends an interactive transaction after 5 s; moving or granting tens of thousands of
 * licenses on a busy database may take longer, and must then still finish rather than roll back.
 */
const BULK_TRANSACTION = { timeout: 60_000 };

export function createLocalSubscriptionTenant(prisma: PrismaClient): SubscriptionTenant {
  return {
    licensesPerProduct: false,
    moveUsers: (input: MoveUsersInput) =>
      refusable(() =>
        prisma.$transaction(async (tx) => {
          await grant(tx, input.toSubscriptionId, { holdersOf: input.fromSubscriptionId }, input.now);
          const moved = await cancel(tx, input.fromSubscriptionId, { actor: input.actor, reason: input.cancelReason, comment: null, now: input.now });
          return { moved };
        }, BULK_TRANSACTION),
      ),
    cancelSubscription: (input: CancelSubscriptionInput) =>
      refusable(() => prisma.$transaction(async (tx) => ({ removed: await cancel(tx, input.subscriptionId, input) }), BULK_TRANSACTION)),
    assignLicenses: (input: AssignLicensesInput) =>
      refusable(() =>
        prisma.$transaction(async (tx) => {
          let assigned = 0;
          for (const g of input.grants) assigned += await grant(tx, g.subscriptionId, { userIds: g.userIds }, input.now);
          return { assigned };
        }, BULK_TRANSACTION),
      ),
  };
}
