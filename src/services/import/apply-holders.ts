/**
 * License holders from a file into the record, inside the caller's transaction.
 * - Each row names a subscription (its id) or a product; a product's holders go to its only
 *   subscription that is not Deleted. With several, the row is refused: the file must say which
 *   subscription (nothing is guessed). Product names the record does not know (the admin
 *   center's user export lists every license a user has) are left aside and counted.
 * - The file is the whole list of holders for each subscription it names: holders an earlier
 *   import gave it that the file leaves out lose their license (removal time kept); licenses
 *   the record got otherwise (the bot, a sync, the demo) are not touched.
 * - People new to the record are created with the file's name (or their email's first part).
 * Only what differs is written: the same file twice changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { writeAssignments, type AssignmentWrites } from '../../db/repositories/assignments.js';
import type { AuditEntry } from '../../db/repositories/audit.js';
import {
  createPeople,
  findAssignmentsOfSubscriptions,
  findImportProducts,
  findLiveSubscriptionsOfProducts,
  findPeopleByEmails,
  findSubscriptionsByAnyId,
} from '../../db/repositories/imports.js';
import { plural } from '../../domain/plural.js';
import type { Actor, ServiceContext } from '../context.js';
import type { Applied } from './apply-subscriptions.js';
import { productResolver } from './products.js';
import type { HolderRow, Refusal } from './rows.js';

export interface AppliedHolders extends Applied {
  /** Rows left aside: none of their products is in the record. */
  skipped: Refusal[];
  /** Product names the record does not know, with how many rows named them. */
  ignoredProducts: Array<{ name: string; rows: number }>;
}

const localPart = (email: string) => email.split('@')[0] ?? email;

export async function applyHolderRows(tx: Tx, ctx: ServiceContext, actor: Actor, input: { rows: HolderRow[]; fileName: string }): Promise<AppliedHolders> {
  const { now } = ctx;
  const refused: Refusal[] = [];
  const skipped: Refusal[] = [];
  const ignored = new Map<string, number>();
  const products = await findImportProducts(tx);
  const resolveProduct = productResolver(products);

  const subscriptions = await findSubscriptionsByAnyId(
    tx,
    input.rows.flatMap((r) => (r.subscriptionId ? [r.subscriptionId] : [])),
  );
  const subscriptionByAnyId = new Map<string, (typeof subscriptions)[number]>();
  for (const s of subscriptions) for (const id of [s.id, s.graphId, s.commerceSubscriptionId]) if (id) subscriptionByAnyId.set(id.toLowerCase(), s);

  const namedProducts = new Set(
    input.rows.flatMap((r) =>
      r.subscriptionId
        ? []
        : r.products
            .map(resolveProduct)
            .filter((p) => p !== undefined)
            .map((p) => p.id),
    ),
  );
  const liveOfProduct = new Map<string, string[]>();
  for (const s of await findLiveSubscriptionsOfProducts(tx, [...namedProducts]))
    liveOfProduct.set(s.productId, [...(liveOfProduct.get(s.productId) ?? []), s.id]);

  /** Subscription id -> email -> the line that named it. */
  const wanted = new Map<string, Map<string, number>>();
  const names = new Map<string, string>();
  for (const row of input.rows) {
    const targets: string[] = [];
    const problems: string[] = [];
    if (row.subscriptionId) {
      const subscription = subscriptionByAnyId.get(row.subscriptionId);
      if (!subscription) problems.push(`no subscription ${row.subscriptionId} in the record: import the file of subscriptions first`);
      else if (subscription.status === 'Deleted') problems.push(`subscription ${row.subscriptionId} is Deleted in the record: it has no holders any more`);
      else targets.push(subscription.id);
    } else {
      for (const name of row.products) {
        const product = resolveProduct(name);
        if (!product) {
          // The admin center's user export says "Unlicensed" for users without any license.
          if (name.toLowerCase() !== 'unlicensed') ignored.set(name, (ignored.get(name) ?? 0) + 1);
          continue;
        }
        const live = liveOfProduct.get(product.id) ?? [];
        if (live.length === 1) targets.push(live[0]!);
        else if (live.length === 0) problems.push(`no ${product.name} subscription in the record that is not Deleted`);
        else
          problems.push(
            `${product.name} has ${plural(live.length, 'subscription')} in the record: add a Subscription id column saying which one each user holds`,
          );
      }
      if (targets.length === 0 && problems.length === 0) {
        skipped.push({ line: row.line, reason: `no product of the record among "${row.products.join('+') || 'none'}"` });
        continue;
      }
    }
    const duplicate = targets.find((id) => wanted.get(id)?.has(row.email));
    if (duplicate) problems.push(`${row.email} is already a holder of ${duplicate.slice(0, 8)} on line ${wanted.get(duplicate)!.get(row.email)}`);
    if (problems.length > 0) {
      refused.push({ line: row.line, reason: problems.join('; ') });
      continue;
    }
    for (const id of targets) {
      const holders = wanted.get(id) ?? new Map<string, number>();
      holders.set(row.email, row.line);
      wanted.set(id, holders);
    }
    if (row.name && !names.has(row.email)) names.set(row.email, row.name);
  }

  const emails = [...new Set([...wanted.values()].flatMap((holders) => [...holders.keys()]))];
  const people = new Map((await findPeopleByEmails(tx, emails)).map((p) => [p.email, p.id]));
  const newPeople = emails.filter((e) => !people.has(e)).map((email) => ({ id: randomUUID(), email, name: names.get(email) ?? localPart(email) }));
  for (const person of newPeople) people.set(person.email, person.id);

  const writes: AssignmentWrites = { create: [], reopen: [], remove: [] };
  const audits: AuditEntry[] = [];
  const existing = await findAssignmentsOfSubscriptions(tx, [...wanted.keys()]);
  for (const [subscriptionId, holders] of wanted) {
    const userIds = new Set([...holders.keys()].map((email) => people.get(email)!));
    const rows = existing.filter((a) => a.subscriptionId === subscriptionId);
    const byUser = new Map(rows.map((a) => [a.userId, a]));
    let added = 0;
    let removed = 0;
    for (const userId of userIds) {
      const row = byUser.get(userId);
      if (row && !row.removedAt) continue;
      if (row) writes.reopen.push(row.id);
      else writes.create.push({ id: randomUUID(), subscriptionId, userId, assignedAt: now, source: 'import' });
      added += 1;
    }
    for (const row of rows) {
      if (row.removedAt || row.source !== 'import' || userIds.has(row.userId)) continue;
      writes.remove.push(row.id);
      removed += 1;
    }
    if (added + removed === 0) continue;
    audits.push({
      actorId: actor.slackUserId,
      action: 'licenses.imported',
      subjectType: 'subscription',
      subjectId: subscriptionId,
      after: { added, removed, holders: userIds.size },
      detail: `file: ${input.fileName}`,
      at: now,
    });
  }

  await createPeople(tx, newPeople);
  await writeAssignments(tx, writes, now, 'import');
  const changed = newPeople.length + writes.create.length + writes.reopen.length + writes.remove.length;
  const ignoredProducts = [...ignored.entries()].map(([name, rows]) => ({ name, rows }));
  return { refused, skipped, changed, audits, ignoredProducts };
}
