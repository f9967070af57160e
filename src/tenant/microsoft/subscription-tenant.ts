/**
 * The `microsoft` adapter of SubscriptionTenant: take-overs on a real tenant, over Microsoft
 * Graph's license assignment (TenantLicenses).
 *
 * - Graph assigns licenses per product (SKU), not per subscription, and no public API cancels a
 *   subscription. So a take-over changes the users' licenses and then waits for an admin to
 *   cancel the subscription in the admin center (`awaitingAdminCenter`); the record keeps the
 *   subscription active until then.
 * - Cancel: the SKU's license is removed from each holder, one user at a time, paced. Each user's
 *   outcome is stored (TakeoverStep) as it happens, with the record's license, so a run stopped
 *   half-way resumes without touching anyone twice. A license assigned by a group cannot be
 *   removed per user: those users are named with their groups. Refusals name the user and
 *   Graph's cause; a failure that may pass (throttled, Graph unavailable) stops the run, which is
 *   resumed later (`incomplete`).
 * - Move to a subscription of the same SKU: the users already hold the SKU's license; what
 *   matters is seats. Graph's seat counts are read fresh: the SKU's enabled seats without this
 *   subscription's must cover everyone holding it, or nobody is touched. Then only the record
 *   moves them. To a subscription of another SKU of the same product (a "Dept" SKU), each user
 *   gets the other SKU's license and loses this one in one assignLicense call.
 * - Central licenses (centralize) are the same SKU's license: nothing to assign
 *   (`licensesPerProduct`).
 * Why: docs/decisions/takeovers-on-microsoft-365.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrismaClient, Tx } from '../../db/client.js';
import {
  endAssignment,
  endDirectHolding,
  FINAL_STEPS,
  findLicenseHolders,
  findTakeoverSteps,
  grantAssignment,
  recordTakeoverStep,
  type LicenseHolder,
  type TakeoverStepStatus,
} from '../../db/repositories/takeover-steps.js';
import { isAppError } from '../../domain/errors.js';
import { plural } from '../../domain/plural.js';
import type {
  AssignLicensesInput,
  CancelSubscriptionInput,
  LicenseChange,
  MoveUsersInput,
  SubscriptionTenant,
  TakeoverProgress,
  TenantChange,
  TenantLicenses,
} from '../port.js';

export interface MicrosoftSubscriptionTenantOptions {
  prisma: PrismaClient;
  licenses: TenantLicenses;
  /** The time of each user's change (a take-over of many users takes a while). */
  clock: () => Date;
  /** Pause between two users' changes, so a large take-over does not provoke throttling. */
  paceMs: number;
}

interface TakenSubscription {
  id: string;
  shortId: string;
  skuId: string;
  licensesPurchased: number;
  productName: string;
}

type Refusal = { ok: false; reason: string };

/** A user's change: what to ask Graph, and what the record does once Graph accepted it. */
interface UserWork {
  holder: LicenseHolder;
  change: LicenseChange;
}

/** How one run of the license work ended. */
type WorkEnd = { kind: 'complete'; done: number } | { kind: 'stopped'; done: number } | { kind: 'forbidden'; done: number; reason: string };

function refused(reason: string): Refusal {
  return { ok: false, reason };
}

async function activeSubscription(prisma: PrismaClient, id: string): Promise<TakenSubscription | Refusal> {
  const row = await prisma.subscription.findUnique({
    where: { id },
    select: { id: true, status: true, skuId: true, licensesPurchased: true, product: { select: { name: true } } },
  });
  const shortId = id.slice(0, 8);
  if (row?.status !== 'Active') return refused(`subscription ${shortId} is no longer active`);
  if (!row.skuId) {
    return refused(
      `subscription ${shortId} was not read from Microsoft 365 by a tenant sync, so the bot does not know which license (SKU) it gives: run \`/purchases sync\`, or change it in the Microsoft 365 admin center`,
    );
  }
  return { id: row.id, shortId, skuId: row.skuId.toLowerCase(), licensesPurchased: row.licensesPurchased, productName: row.product.name };
}

const isRefusal = (value: TakenSubscription | Refusal): value is Refusal => 'ok' in value;

export function createMicrosoftSubscriptionTenant(options: MicrosoftSubscriptionTenantOptions): SubscriptionTenant {
  const { prisma, licenses, clock, paceMs } = options;

  /**
   * Runs the users' changes not done yet under `requestId`, one at a time, recording each
   * outcome (and, for a change Graph accepted, `onDone` in the same transaction).
   */
  async function runPerUser(
    requestId: string,
    work: UserWork[],
    keepAlive: ((now: Date) => Promise<boolean>) | undefined,
    onDone: (holder: LicenseHolder, at: Date) => (tx: Tx) => Promise<void>,
  ): Promise<WorkEnd> {
    const final = new Set((await findTakeoverSteps(prisma, requestId)).filter((s) => FINAL_STEPS.includes(s.status)).map((s) => s.userId));
    let done = 0;
    let called = false;
    const record = (holder: LicenseHolder, status: TakeoverStepStatus, detail: string | null, at: Date) =>
      recordTakeoverStep(prisma, { takeoverId: requestId, userId: holder.personId, status, detail, at });
    for (const { holder, change } of work) {
      if (final.has(holder.personId)) continue;
      if (called && paceMs > 0) await sleep(paceMs);
      const now = clock();
      if (keepAlive && !(await keepAlive(now))) return { kind: 'stopped', done };
      called = true;
      let result: Awaited<ReturnType<typeof licenses.changeLicenses>>;
      try {
        result = await licenses.changeLicenses(change);
      } catch (error) {
        // Graph unavailable, timed out or answering nonsense: may pass, so this user waits for the next run.
        const reason = isAppError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
        await record(holder, 'waiting', reason, now);
        return { kind: 'stopped', done };
      }
      if (result.ok) {
        await prisma.$transaction(async (tx) => {
          // A user whose groups also assign the license keeps it through them: the step names them.
          const groups = holder.holding?.viaGroups ?? [];
          await recordTakeoverStep(tx, {
            takeoverId: requestId,
            userId: holder.personId,
            status: 'done',
            detail: groups.length > 0 ? JSON.stringify(groups) : null,
            at: now,
          });
          await onDone(holder, now)(tx);
        });
        done += 1;
        continue;
      }
      switch (result.code) {
        case 'group_assigned':
          await record(holder, 'group', JSON.stringify(holder.holding?.viaGroups ?? []), now);
          break;
        case 'not_found':
          await record(holder, 'gone', result.message, now);
          break;
        case 'throttled':
          await record(holder, 'waiting', result.message, now);
          return { kind: 'stopped', done };
        case 'forbidden':
          await record(holder, 'waiting', result.message, now);
          return { kind: 'forbidden', done, reason: result.message };
        default:
          await record(holder, 'refused', result.message, now);
      }
    }
    return { kind: 'complete', done };
  }

  /** Users no call can help: not in the tenant, no longer holding the SKU, or holding it only through groups. */
  async function settleWithoutGraph(requestId: string, holders: LicenseHolder[], needsDirect: boolean): Promise<LicenseHolder[]> {
    const steps = new Map((await findTakeoverSteps(prisma, requestId)).map((s) => [s.userId, s.status]));
    const callable: LicenseHolder[] = [];
    for (const holder of holders) {
      const step = steps.get(holder.personId);
      if (step && FINAL_STEPS.includes(step)) continue;
      const at = clock();
      if (!holder.graphId) {
        await recordTakeoverStep(prisma, {
          takeoverId: requestId,
          userId: holder.personId,
          status: 'refused',
          detail: `no Microsoft 365 user with the email ${holder.email} was found by the tenant sync`,
          at,
        });
      } else if (!holder.holding) {
        await recordTakeoverStep(prisma, {
          takeoverId: requestId,
          userId: holder.personId,
          status: 'gone',
          detail: 'no longer holds this license in Microsoft 365',
          at,
        });
      } else if (needsDirect && !holder.holding.direct) {
        await recordTakeoverStep(prisma, {
          takeoverId: requestId,
          userId: holder.personId,
          status: 'group',
          detail: JSON.stringify(holder.holding.viaGroups),
          at,
        });
      } else {
        callable.push(holder);
      }
    }
    return callable;
  }

  /** The take-over's outcome from how its license work ended. */
  function outcome<K extends string>(key: K, end: WorkEnd, totalDone: number): TenantChange<Record<K, number> & TakeoverProgress> {
    if (end.kind === 'forbidden' && totalDone === 0) return refused(end.reason);
    const progress: TakeoverProgress = end.kind === 'complete' ? { awaitingAdminCenter: true } : { incomplete: true };
    return { ok: true as const, ...({ [key]: totalDone } as Record<K, number>), ...progress };
  }

  async function doneCount(requestId: string): Promise<number> {
    return (await findTakeoverSteps(prisma, requestId)).filter((s) => s.status === 'done').length;
  }

  async function cancelSubscription(input: CancelSubscriptionInput): Promise<TenantChange<{ removed: number } & TakeoverProgress>> {
    if (!input.requestId) return refused('a take-over on Microsoft 365 needs its request to keep its progress');
    const subscription = await activeSubscription(prisma, input.subscriptionId);
    if (isRefusal(subscription)) return subscription;
    const holders = await findLicenseHolders(prisma, subscription.id, subscription.skuId);
    const callable = await settleWithoutGraph(input.requestId, holders, true);
    const end = await runPerUser(
      input.requestId,
      callable.map((holder) => ({ holder, change: { userId: holder.graphId!, remove: [subscription.skuId] } })),
      input.keepAlive,
      (holder, at) => async (tx) => {
        await endAssignment(tx, subscription.id, holder.personId, at);
        if (holder.holding) await endDirectHolding(tx, holder.holding, at);
      },
    );
    return outcome('removed', end, await doneCount(input.requestId));
  }

  async function moveUsers(input: MoveUsersInput): Promise<TenantChange<{ moved: number } & TakeoverProgress>> {
    if (!input.requestId) return refused('a take-over on Microsoft 365 needs its request to keep its progress');
    const from = await activeSubscription(prisma, input.fromSubscriptionId);
    if (isRefusal(from)) return from;
    const to = await activeSubscription(prisma, input.toSubscriptionId);
    if (isRefusal(to)) return to;
    const holders = await findLicenseHolders(prisma, from.id, from.skuId);
    if (from.skuId === to.skuId) return moveWithinSku(input.requestId, from, to, holders);

    // Another SKU of the same product: each user gets its license and loses this one.
    const target = await licenses.seats(to.skuId);
    if (!target) return refused(`Microsoft 365 no longer lists the license (SKU) of subscription ${to.shortId}`);
    const steps = new Map((await findTakeoverSteps(prisma, input.requestId)).map((s) => [s.userId, s.status]));
    const needing = holders.filter((h) => !FINAL_STEPS.includes(steps.get(h.personId) ?? 'waiting')).length;
    const free = target.enabledUnits - target.consumedUnits;
    if (free < needing) {
      return refused(
        `subscription ${to.shortId}'s license has ${plural(Math.max(0, free), 'free seat')} in Microsoft 365 for ${plural(needing, 'user')}: ${needing - Math.max(0, free)} missing; add licenses to it first`,
      );
    }
    const callable = await settleWithoutGraph(input.requestId, holders, true);
    const end = await runPerUser(
      input.requestId,
      callable.map((holder) => ({ holder, change: { userId: holder.graphId!, add: [to.skuId], remove: [from.skuId] } })),
      input.keepAlive,
      (holder, at) => async (tx) => {
        await endAssignment(tx, from.id, holder.personId, at);
        await grantAssignment(tx, to.id, holder.personId, at);
        if (holder.holding) await endDirectHolding(tx, holder.holding, at);
      },
    );
    return outcome('moved', end, await doneCount(input.requestId));
  }

  /**
   * The same SKU: Graph has nothing to change for the users, only the seats matter once this
   * subscription is cancelled. Checked on fresh counts; then the record moves everyone at once.
   */
  async function moveWithinSku(
    requestId: string,
    from: TakenSubscription,
    to: TakenSubscription,
    holders: LicenseHolder[],
  ): Promise<TenantChange<{ moved: number } & TakeoverProgress>> {
    const seats = await licenses.seats(from.skuId);
    if (!seats) return refused(`Microsoft 365 no longer lists the license (SKU) of ${from.productName}`);
    const remaining = seats.enabledUnits - from.licensesPurchased;
    if (remaining < seats.consumedUnits) {
      return refused(
        `${from.productName} has ${plural(seats.enabledUnits, 'seat')} in Microsoft 365, ${from.licensesPurchased} of them in subscription ${from.shortId}; without them ${Math.max(0, remaining)} remain for the ${plural(seats.consumedUnits, 'person', 'people')} holding it: ${seats.consumedUnits - Math.max(0, remaining)} missing. Add licenses to subscription ${to.shortId} first`,
      );
    }
    const at = clock();
    await prisma.$transaction(async (tx) => {
      for (const holder of holders) {
        await endAssignment(tx, from.id, holder.personId, at);
        await grantAssignment(tx, to.id, holder.personId, at);
        await recordTakeoverStep(tx, { takeoverId: requestId, userId: holder.personId, status: 'done', at });
      }
    });
    return { ok: true, moved: await doneCount(requestId), awaitingAdminCenter: true };
  }

  async function assignLicenses(_input: AssignLicensesInput): Promise<TenantChange<{ assigned: number }>> {
    return refused(
      'in Microsoft 365 a license belongs to the product, not to a subscription: people holding a self-service license already hold the one a central subscription would give',
    );
  }

  return { licensesPerProduct: true, moveUsers, cancelSubscription, assignLicenses };
}
