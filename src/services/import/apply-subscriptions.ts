/**
 * Subscriptions from a file into the record, inside the caller's transaction; only values that
 * differ are written, so the same file twice changes nothing.
 * - A subscription is found by its record id, Graph id or commerce id; new ones are first seen
 *   now (the digest reports them once).
 * - The file's price, purchaser and self-service are the import's decision: they override Graph's
 *   owner, never an admin's mark (the purchaser is still recorded then). An empty purchaser cell
 *   means a central subscription; a file without the column leaves self-service as it was.
 * - For a subscription a tenant sync knows, Graph stays the truth of product, licenses, dates,
 *   trial and status; the file fills what Graph lacks.
 * - Deleted in the file: Deleted in the record (who imported it, when), its licenses end. A
 *   subscription Deleted in the record is not brought back by a file.
 * Empty cells never erase what the record knows (a price, a renewal date).
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { writeAssignments } from '../../db/repositories/assignments.js';
import type { AuditEntry } from '../../db/repositories/audit.js';
import {
  createImportedSubscription,
  createPeople,
  findAssignmentsOfSubscriptions,
  findImportProducts,
  findPeopleByEmails,
  findSubscriptionsByAnyId,
  updateImportedSubscription,
  type ImportSubscription,
  type SubscriptionImportData,
} from '../../db/repositories/imports.js';
import { changedFields, hasChanges, valuesBefore } from '../../domain/changes.js';
import { formatDay } from '../../domain/dates.js';
import type { Actor, ServiceContext } from '../context.js';
import { productResolver, unknownProductReason } from './products.js';
import type { Refusal, SubscriptionRow } from './rows.js';

export interface Applied {
  refused: Refusal[];
  changed: number;
  audits: AuditEntry[];
}

const localPart = (email: string) => email.split('@')[0] ?? email;

export async function applySubscriptionRows(
  tx: Tx,
  ctx: ServiceContext,
  actor: Actor,
  input: { rows: SubscriptionRow[]; fileName: string; hasPurchaserColumn: boolean },
): Promise<Applied> {
  const { now } = ctx;
  const refused: Refusal[] = [];
  const audits: AuditEntry[] = [];
  let changed = 0;
  const resolveProduct = productResolver(await findImportProducts(tx));
  const existing = await findSubscriptionsByAnyId(
    tx,
    input.rows.map((r) => r.id),
  );
  const byAnyId = new Map<string, ImportSubscription>();
  for (const row of existing) for (const id of [row.id, row.graphId, row.commerceSubscriptionId]) if (id) byAnyId.set(id.toLowerCase(), row);

  const people = new Map(
    (
      await findPeopleByEmails(
        tx,
        input.rows.flatMap((r) => (r.purchaserEmail ? [r.purchaserEmail] : [])),
      )
    ).map((p) => [p.email, p.id]),
  );
  const newPeople: Array<{ id: string; email: string; name: string }> = [];
  const personFor = (email: string, name: string | undefined): string => {
    const known = people.get(email);
    if (known) return known;
    const id = randomUUID();
    people.set(email, id);
    newPeople.push({ id, email, name: name ?? localPart(email) });
    return id;
  };

  const writes: Array<() => Promise<void>> = [];
  const ended: string[] = [];
  for (const row of input.rows) {
    const product = resolveProduct(row.product);
    if (!product) {
      refused.push({ line: row.line, reason: unknownProductReason(row.product) });
      continue;
    }
    const current = byAnyId.get(row.id);
    if (current?.status === 'Deleted' && row.status === 'Active' && !current.graphId) {
      const when = current.cancelledAt ? ` ${formatDay(current.cancelledAt, ctx.timeZone)}` : '';
      refused.push({
        line: row.line,
        reason: `subscription ${row.id} is Deleted in the record (cancelled${when}${current.cancelledBy ? ` by ${current.cancelledBy}` : ''}): a file does not bring it back`,
      });
      continue;
    }
    const purchaserId = row.purchaserEmail ? personFor(row.purchaserEmail, row.purchaserName) : null;
    const decided = input.hasPurchaserColumn || row.selfService !== undefined;
    const selfService = row.selfService ?? purchaserId !== null;

    if (!current) {
      const created = {
        id: row.id,
        productId: product.id,
        status: row.status,
        isSelfService: selfService,
        purchaserId,
        selfServiceSource: 'import',
        licensesPurchased: row.licenses,
        purchasedAt: row.purchased,
        expiresAt: row.renews ?? null,
        unitPriceMinor: row.unitPrice?.amountMinor ?? null,
        currency: row.unitPrice?.currency ?? null,
        isTrial: row.trial,
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: row.status === 'Deleted' ? `Deleted in the imported file ${input.fileName}` : null,
        firstSeenAt: now,
        source: 'csv' as const,
      };
      writes.push(() => createImportedSubscription(tx, created));
      audits.push({
        actorId: actor.slackUserId,
        action: 'subscription.imported',
        subjectType: 'subscription',
        subjectId: row.id,
        after: created,
        detail: `file: ${input.fileName}`,
        at: now,
      });
      changed += 1;
      continue;
    }

    const wanted: SubscriptionImportData = {};
    if (row.unitPrice) Object.assign(wanted, { unitPriceMinor: row.unitPrice.amountMinor, currency: row.unitPrice.currency });
    if (current.selfServiceSource === 'admin') {
      if (purchaserId) wanted.purchaserId = purchaserId;
    } else if (decided) {
      Object.assign(wanted, { isSelfService: selfService, purchaserId, selfServiceSource: 'import' });
    }
    if (!current.graphId) {
      Object.assign(wanted, { productId: product.id, licensesPurchased: row.licenses, purchasedAt: row.purchased, isTrial: row.trial });
      if (row.renews) wanted.expiresAt = row.renews;
      if (row.status === 'Deleted' && current.status !== 'Deleted') {
        Object.assign(wanted, {
          status: 'Deleted',
          cancelledAt: now,
          cancelledBy: actor.slackUserId,
          cancelReason: `Deleted in the imported file ${input.fileName}`,
        });
        ended.push(current.id);
      }
    }
    const data = changedFields(current, wanted);
    if (!hasChanges(data)) continue;
    writes.push(() => updateImportedSubscription(tx, current.id, data));
    audits.push({
      actorId: actor.slackUserId,
      action: 'subscription.import_changed',
      subjectType: 'subscription',
      subjectId: current.id,
      before: valuesBefore(current, data),
      after: data,
      detail: `file: ${input.fileName}`,
      at: now,
    });
    changed += 1;
  }

  await createPeople(tx, newPeople);
  changed += newPeople.length;
  for (const write of writes) await write();
  if (ended.length > 0) {
    const current = (await findAssignmentsOfSubscriptions(tx, ended)).filter((a) => a.removedAt === null);
    await writeAssignments(tx, { create: [], reopen: [], remove: current.map((a) => a.id) }, now, 'import');
  }
  return { refused, changed, audits };
}
