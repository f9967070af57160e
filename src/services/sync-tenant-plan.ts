/**
 * The differences between what Microsoft Graph reports and what the record holds: a pure
 * function of the snapshot, the record and the time, so a sync that finds nothing new plans no
 * write at all. What it decides:
 * - Products: each SKU is recorded (ProductSku) as the product whose ProductId the SKU table
 *   gives, created as kind sku if the record lacks it; a SKU the table does not tie to a ProductId
 *   is a product `sku:<skuId>` of its own, named as the table names it, or by its part number.
 * - People: matched by Graph id, else by email (mail, else the UPN, lower-case); a user no longer
 *   in the tenant gets goneFromTenantAt.
 * - Subscriptions: matched by Graph id, else commerce id, else record id. Graph's fields (licenses,
 *   dates, trial, raw status) follow Graph. Self-service follows Graph's owner (ownerType User and
 *   a user of the tenant: self-service, bought by that user) unless an import or an admin decided.
 *   Deleted in the tenant, or gone from it: status Deleted with seenDeletedAt; never a row deletion,
 *   and never back to Active (the raw status still shows what the tenant says).
 * - Holdings mirror the users' licenses, one per SKU and user; one that went away gets removedAt.
 * - Attribution: Graph pools a SKU's seats, so a SKU with exactly one subscription in the tenant
 *   has its holders as that subscription's assignments (source graph); with several, only imports
 *   attribute. A holder who lost the SKU, or a subscription that was deleted, loses its
 *   assignments (any source).
 * Items Graph sent that failed validation are never taken as "gone": what they could hide
 * (removals, attribution) is held back and said so in the summary.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../db/repositories/audit.js';
import type { HoldingRow, HoldingWrites } from '../db/repositories/holdings.js';
import type { SubscriptionCreate, SubscriptionData, SyncRecord, SyncSubscriptionRow, SyncWrites } from '../db/repositories/sync.js';
import { changedFields, hasChanges, valuesBefore } from '../domain/changes.js';
import { plural } from '../domain/plural.js';
import type { TenantDirectorySnapshot, TenantSubscription } from '../tenant/port.js';

/** What the SKU table says of a skuId; the Graph-client work ships the table itself. */
export interface SkuInfo {
  skuPartNumber: string;
  /** The name admins know, e.g. "Power BI Pro". */
  name: string;
  /** The 12-character ProductId of the policy endpoint, where known. */
  productId?: string | null;
}

export interface SkuLookup {
  skuBySkuId(skuId: string): SkuInfo | undefined;
}

export interface SyncTally {
  subscriptions: number;
  people: number;
  products: number;
  licenses: number;
  /** A few of them by name, subscriptions first. */
  names: string[];
}

export interface SyncSummary {
  new: SyncTally;
  changed: SyncTally;
  gone: SyncTally;
  /** License assignments the sync made or ended for single-subscription products. */
  attributed: { added: number; removed: number };
  skipped: { count: number; items: string[] };
  errors: { count: number; messages: string[] };
}

export interface SyncPlan {
  writes: SyncWrites & { holdings: HoldingWrites };
  audits: AuditEntry[];
  summary: SyncSummary;
}

/** Who the record names as having cancelled a subscription the tenant deleted. */
export const DELETED_IN_TENANT_BY = 'tenant';
export const DELETED_IN_TENANT_REASON = 'Seen deleted in the tenant';
/** Self-service decisions a sync never overrides. */
const DECIDED_BY_PEOPLE = new Set(['admin', 'import']);
const NAMES_KEPT = 8;

const emptyTally = (): SyncTally => ({ subscriptions: 0, people: 0, products: 0, licenses: 0, names: [] });

function note(tally: SyncTally, kind: Exclude<keyof SyncTally, 'names'>, name: string): void {
  tally[kind] += 1;
  if (tally.names.length < NAMES_KEPT) tally.names.push(name);
}

const lower = (value: string) => value.trim().toLowerCase();

function viaGroupsValue(groups: string[]): string | null {
  const unique = [...new Set(groups.map(lower))].sort();
  return unique.length === 0 ? null : JSON.stringify(unique);
}

export function planSync(snapshot: TenantDirectorySnapshot, record: SyncRecord, skus: SkuLookup, now: Date, actorId: string): SyncPlan {
  const summary: SyncSummary = {
    new: emptyTally(),
    changed: emptyTally(),
    gone: emptyTally(),
    attributed: { added: 0, removed: 0 },
    skipped: { count: snapshot.skipped.length, items: snapshot.skipped.slice(0, NAMES_KEPT).map((s) => `${s.what}${s.id ? ` ${s.id}` : ''}: ${s.reason}`) },
    errors: { count: 0, messages: [] },
  };
  const error = (message: string) => {
    summary.errors.count += 1;
    if (summary.errors.messages.length < NAMES_KEPT) summary.errors.messages.push(message);
  };
  const skip = (item: string) => {
    summary.skipped.count += 1;
    if (summary.skipped.items.length < NAMES_KEPT) summary.skipped.items.push(item);
  };
  const skippedIds = (what: 'user' | 'subscription') => new Set(snapshot.skipped.filter((s) => s.what === what && s.id).map((s) => lower(s.id!)));
  const skippedUsers = skippedIds('user');
  const skippedSubscriptions = skippedIds('subscription');
  const usersComplete = !snapshot.skipped.some((s) => s.what === 'user' && !s.id);
  const subscriptionIdsComplete = !snapshot.skipped.some((s) => s.what === 'subscription' && !s.id);
  // A subscription Graph sent but that failed validation may be a second one of some product:
  // attributing holders to the one that remains would be a guess.
  const subscriptionsComplete = !snapshot.skipped.some((s) => s.what === 'subscription');
  if (!usersComplete) error('Some users could not be read: nobody was marked as gone and no license as removed this time.');
  if (!subscriptionsComplete)
    error(
      `${plural(snapshot.skipped.filter((s) => s.what === 'subscription').length, 'subscription')} could not be read: licenses were not attributed to subscriptions this time.`,
    );

  const writes: SyncPlan['writes'] = {
    products: { create: [] },
    skus: { create: [], update: [] },
    people: { create: [], update: [], gone: [] },
    subscriptions: { create: [], update: [] },
    assignments: { create: [], reopen: [], remove: [] },
    holdings: { create: [], update: [], remove: [] },
  };
  const audits: AuditEntry[] = [];

  // --- Products ------------------------------------------------------------------------------
  const partNumbers = new Map<string, string>();
  for (const sku of snapshot.skus) partNumbers.set(lower(sku.skuId), sku.skuPartNumber);
  for (const sub of snapshot.subscriptions) if (!partNumbers.has(lower(sub.skuId))) partNumbers.set(lower(sub.skuId), sub.skuPartNumber);

  const productsById = new Map<string, { id: string; name: string }>(record.products.map((p) => [p.id, p]));
  const recordedSkus = new Map(record.skus.map((sku) => [lower(sku.skuId), sku]));
  const productOfSku = new Map<string, { id: string; name: string }>();
  for (const [skuId, partNumber] of [...partNumbers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const known = recordedSkus.get(skuId);
    if (known) {
      const product = productsById.get(known.productId)!;
      if (known.skuPartNumber !== partNumber) {
        writes.skus.update.push({ skuId: known.skuId, data: { skuPartNumber: partNumber } });
        note(summary.changed, 'products', `${product.name} (${partNumber})`);
      }
      productOfSku.set(skuId, product);
      continue;
    }
    // A SKU the table ties to a ProductId is that product (a "Dept" SKU beside the usual one too).
    const info = skus.skuBySkuId(skuId);
    const id = info?.productId ?? `sku:${skuId}`;
    let product = productsById.get(id);
    if (!product) {
      product = { id, name: info?.name ?? partNumber };
      productsById.set(id, product);
      writes.products.create.push({ id, kind: 'sku', name: product.name, firstSeenAt: now });
      note(summary.new, 'products', product.name);
    } else {
      note(summary.changed, 'products', `${product.name} (${partNumber})`);
    }
    writes.skus.create.push({ skuId, productId: id, skuPartNumber: partNumber, firstSeenAt: now });
    productOfSku.set(skuId, product);
  }

  // --- People --------------------------------------------------------------------------------
  const peopleByGraphId = new Map(record.people.filter((p) => p.graphId).map((p) => [lower(p.graphId!), p]));
  const peopleByEmail = new Map(record.people.map((p) => [p.email, p]));
  const tenantUserIds = new Set(snapshot.users.map((u) => lower(u.id)));
  const personOfUser = new Map<string, { id: string; name: string }>();
  const claimedEmails = new Map<string, string>();
  const claimedPeople = new Set<string>();
  for (const user of [...snapshot.users].sort((a, b) => lower(a.id).localeCompare(lower(b.id)))) {
    const graphId = lower(user.id);
    let person = peopleByGraphId.get(graphId);
    const candidates = [user.mail, user.userPrincipalName].filter((e): e is string => !!e && e.trim() !== '').map(lower);
    if (!person) {
      // Someone the record knows by email (an import, the demo) and no other user of the tenant has claimed.
      person = candidates.map((e) => peopleByEmail.get(e)).find((p) => p && !claimedPeople.has(p.id) && (!p.graphId || !tenantUserIds.has(lower(p.graphId))));
    }
    const personId = person?.id ?? randomUUID();
    claimedPeople.add(personId);
    const email = candidates.find((e) => {
      const holder = peopleByEmail.get(e);
      return (!holder || holder.id === personId) && (claimedEmails.get(e) ?? personId) === personId;
    });
    if (!email) {
      error(`${user.displayName || user.userPrincipalName}: ${candidates.join(' / ')} is already another person’s email in the record`);
      if (!person) {
        // Not in the record this time: what depends on the user (a purchase it owns) waits too.
        skippedUsers.add(graphId);
        continue;
      }
    }
    const name = user.displayName.trim() || (email ?? person!.email);
    if (email) claimedEmails.set(email, personId);
    if (person) {
      const data = changedFields(person, {
        name,
        ...(email ? { email } : {}),
        graphId,
        ...(user.accountEnabled === null ? {} : { accountEnabled: user.accountEnabled }),
        goneFromTenantAt: null,
      });
      if (hasChanges(data)) {
        writes.people.update.push({ id: person.id, data });
        note(summary.changed, 'people', name);
      }
    } else {
      writes.people.create.push({ id: personId, name, email: email!, graphId, accountEnabled: user.accountEnabled ?? true });
      note(summary.new, 'people', name);
    }
    personOfUser.set(graphId, { id: personId, name });
  }
  if (usersComplete) {
    for (const person of record.people) {
      if (!person.graphId || person.goneFromTenantAt || tenantUserIds.has(lower(person.graphId)) || skippedUsers.has(lower(person.graphId))) continue;
      writes.people.gone.push(person.id);
      note(summary.gone, 'people', person.name);
    }
  }

  // --- Subscriptions -------------------------------------------------------------------------
  const subsByGraphId = new Map(record.subscriptions.filter((s) => s.graphId).map((s) => [lower(s.graphId!), s]));
  const subsByCommerceId = new Map(record.subscriptions.filter((s) => s.commerceSubscriptionId).map((s) => [lower(s.commerceSubscriptionId!), s]));
  const subsById = new Map(record.subscriptions.map((s) => [s.id, s]));
  const unclaimed = (s: SyncSubscriptionRow | undefined) => (s && !s.graphId ? s : undefined);
  const personName = new Map(record.people.map((p) => [p.id, p.name]));
  for (const person of personOfUser.values()) personName.set(person.id, person.name);
  const label = (productName: string, id: string, purchaserId: string | null) =>
    `${productName} (${id.slice(0, 8)})${purchaserId ? ` bought by ${personName.get(purchaserId) ?? 'someone'}` : ''}`;
  const productName = (productId: string) => productsById.get(productId)?.name ?? productId;

  /** Record subscription id -> whether the tenant lists it as live (not Deleted). */
  const liveInTenant = new Map<string, boolean>();
  /** Record subscription id -> Deleted in the record once this sync is applied. */
  const deletedInRecord = new Map(record.subscriptions.map((s) => [s.id, s.status === 'Deleted']));
  const skuOfSubscription = new Map(record.subscriptions.filter((s) => s.skuId).map((s) => [s.id, lower(s.skuId!)]));
  const seenGraphIds = new Set<string>();

  const deletedFields = (current: SyncSubscriptionRow | undefined): SubscriptionData => ({
    ...(current?.status === 'Deleted'
      ? {}
      : { status: 'Deleted', cancelledAt: now, cancelledBy: DELETED_IN_TENANT_BY, cancelReason: DELETED_IN_TENANT_REASON }),
    ...(current?.seenDeletedAt ? {} : { seenDeletedAt: now }),
  });

  for (const sub of [...snapshot.subscriptions].sort((a, b) => lower(a.id).localeCompare(lower(b.id)))) {
    const graphId = lower(sub.id);
    seenGraphIds.add(graphId);
    const product = productOfSku.get(lower(sub.skuId))!;
    const commerceId = sub.commerceSubscriptionId ? lower(sub.commerceSubscriptionId) : undefined;
    const current =
      subsByGraphId.get(graphId) ??
      (commerceId ? (unclaimed(subsByCommerceId.get(commerceId)) ?? unclaimed(subsById.get(commerceId))) : undefined) ??
      unclaimed(subsById.get(graphId));
    const id = current?.id ?? graphId;
    skuOfSubscription.set(id, lower(sub.skuId));
    liveInTenant.set(id, sub.status !== 'Deleted');
    deletedInRecord.set(id, sub.status === 'Deleted' || current?.status === 'Deleted');

    const wanted: SubscriptionData = {
      graphId,
      commerceSubscriptionId: commerceId ?? null,
      skuId: lower(sub.skuId),
      productId: product.id,
      licensesPurchased: sub.totalLicenses,
      purchasedAt: sub.createdAt,
      expiresAt: sub.nextLifecycleAt,
      isTrial: sub.isTrial,
      tenantStatus: sub.status,
      ...selfService(sub, current),
      ...(sub.status === 'Deleted' ? deletedFields(current) : {}),
    };

    if (!current) {
      const created: SubscriptionCreate = {
        id,
        productId: product.id,
        graphId,
        commerceSubscriptionId: commerceId ?? null,
        skuId: lower(sub.skuId),
        status: 'Active',
        tenantStatus: sub.status,
        isSelfService: false,
        purchaserId: null,
        selfServiceSource: 'graph-owner',
        licensesPurchased: sub.totalLicenses,
        purchasedAt: sub.createdAt,
        expiresAt: sub.nextLifecycleAt,
        isTrial: sub.isTrial,
        seenDeletedAt: null,
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: null,
        firstSeenAt: now,
        source: 'graph',
        ...(wanted as Partial<SubscriptionCreate>),
      };
      writes.subscriptions.create.push(created);
      const name = label(product.name, id, created.purchaserId);
      note(summary.new, 'subscriptions', name);
      audits.push({
        actorId,
        action: 'subscription.first_seen',
        subjectType: 'subscription',
        subjectId: id,
        after: created,
        detail: 'source: tenant sync',
        at: now,
      });
      continue;
    }
    const data = changedFields(current, wanted as Partial<SyncSubscriptionRow>);
    if (!hasChanges(data)) continue;
    writes.subscriptions.update.push({ id, data });
    const name = label(productName(data.productId ?? current.productId), id, data.purchaserId !== undefined ? data.purchaserId : current.purchaserId);
    const before = valuesBefore(current, data);
    if (data.status === 'Deleted') note(summary.gone, 'subscriptions', name);
    else note(summary.changed, 'subscriptions', name);
    audits.push({
      actorId,
      action: data.status === 'Deleted' ? 'subscription.seen_deleted' : 'subscription.changed_in_tenant',
      subjectType: 'subscription',
      subjectId: id,
      before,
      after: data,
      detail: 'source: tenant sync',
      at: now,
    });
  }

  function selfService(sub: TenantSubscription, current: SyncSubscriptionRow | undefined): SubscriptionData {
    if (current && DECIDED_BY_PEOPLE.has(current.selfServiceSource)) return {};
    const ownerId = sub.ownerId ? lower(sub.ownerId) : undefined;
    const ownedByUser = sub.ownerType?.toLowerCase() === 'user' && ownerId !== undefined;
    // An owner Graph sent but that failed validation: no decision rather than a wrong one.
    if (ownedByUser && skippedUsers.has(ownerId!)) return {};
    const purchaser = ownedByUser ? personOfUser.get(ownerId!) : undefined;
    return { isSelfService: purchaser !== undefined, purchaserId: purchaser?.id ?? null, selfServiceSource: 'graph-owner' };
  }

  if (subscriptionIdsComplete) {
    for (const current of record.subscriptions) {
      if (!current.graphId) continue;
      const graphId = lower(current.graphId);
      if (seenGraphIds.has(graphId) || skippedSubscriptions.has(graphId)) continue;
      liveInTenant.set(current.id, false);
      deletedInRecord.set(current.id, true);
      const data = changedFields(current, deletedFields(current) as Partial<SyncSubscriptionRow>);
      if (!hasChanges(data)) continue;
      writes.subscriptions.update.push({ id: current.id, data });
      const name = label(productName(current.productId), current.id, current.purchaserId);
      note(summary.gone, 'subscriptions', name);
      audits.push({
        actorId,
        action: 'subscription.seen_deleted',
        subjectType: 'subscription',
        subjectId: current.id,
        before: valuesBefore(current, data),
        after: data,
        detail: 'source: tenant sync; no longer listed by the tenant',
        at: now,
      });
    }
  }

  // --- Holdings ------------------------------------------------------------------------------
  /** `${skuId}|${personId}` of every license held once this sync is applied. */
  const held = new Set<string>();
  {
    const existing = new Map(record.holdings.map((row) => [`${lower(row.skuId)}|${row.userId}`, row]));
    const wanted = new Map<string, { productId: string; skuId: string; userId: string; direct: boolean; viaGroups: string | null }>();
    const unknownSkus = new Map<string, number>();
    for (const user of snapshot.users) {
      const person = personOfUser.get(lower(user.id));
      if (!person) continue;
      const bySku = new Map<string, { direct: boolean; groups: string[] }>();
      for (const license of user.licenses) {
        const entry = bySku.get(lower(license.skuId)) ?? { direct: false, groups: [] };
        entry.direct ||= license.direct;
        entry.groups.push(...license.viaGroups);
        bySku.set(lower(license.skuId), entry);
      }
      for (const [skuId, { direct, groups }] of bySku) {
        const product = productOfSku.get(skuId);
        if (!product) unknownSkus.set(skuId, (unknownSkus.get(skuId) ?? 0) + 1);
        else wanted.set(`${skuId}|${person.id}`, { productId: product.id, skuId, userId: person.id, direct, viaGroups: viaGroupsValue(groups) });
      }
    }
    for (const [skuId, users] of unknownSkus) skip(`licenses of SKU ${skuId} (${plural(users, 'user')}): the tenant lists no such SKU`);

    for (const [key, want] of wanted) {
      held.add(key);
      const row = existing.get(key);
      const what = `${productName(want.productId)}: ${personName.get(want.userId) ?? want.userId}`;
      if (!row) {
        writes.holdings.create.push({ id: randomUUID(), ...want, firstSeenAt: now, removedAt: null });
        note(summary.new, 'licenses', what);
        continue;
      }
      const data: Partial<HoldingRow> = changedFields(row, { direct: want.direct, viaGroups: want.viaGroups, removedAt: null });
      if (row.removedAt) data.firstSeenAt = now;
      if (!hasChanges(data)) continue;
      writes.holdings.update.push({ id: row.id, data });
      note(row.removedAt ? summary.new : summary.changed, 'licenses', what);
    }
    const protectedPeople = new Set([...skippedUsers].map((id) => peopleByGraphId.get(id)?.id).filter(Boolean));
    for (const [key, row] of existing) {
      if (row.removedAt || wanted.has(key)) continue;
      if (!usersComplete || protectedPeople.has(row.userId)) {
        held.add(key);
        continue;
      }
      writes.holdings.remove.push(row.id);
      note(summary.gone, 'licenses', `${productName(row.productId)}: ${personName.get(row.userId) ?? row.userId}`);
    }
  }

  // --- Attribution ---------------------------------------------------------------------------
  // Graph pools a SKU's seats across its subscriptions: a SKU with one live subscription has
  // exactly that subscription's holders; with several, nothing is guessed (imports attribute).
  const liveBySku = new Map<string, string[]>();
  for (const [subscriptionId, live] of liveInTenant) {
    const skuId = skuOfSubscription.get(subscriptionId);
    if (live && skuId) liveBySku.set(skuId, [...(liveBySku.get(skuId) ?? []), subscriptionId]);
  }
  const attributed = new Set<string>();
  if (subscriptionsComplete) {
    for (const key of held) {
      const [skuId, userId] = key.split('|') as [string, string];
      const live = liveBySku.get(skuId);
      // One subscription in the tenant, and not cancelled in the record (a take-over the tenant has not caught up with).
      if (live?.length === 1 && !deletedInRecord.get(live[0]!)) attributed.add(`${live[0]}|${userId}`);
    }
  }
  const assignments = new Map(record.assignments.map((a) => [`${a.subscriptionId}|${a.userId}`, a]));
  for (const key of attributed) {
    const row = assignments.get(key);
    if (row && !row.removedAt) continue;
    if (row) writes.assignments.reopen.push(row.id);
    else {
      const [subscriptionId, userId] = key.split('|') as [string, string];
      writes.assignments.create.push({ id: randomUUID(), subscriptionId, userId, assignedAt: now, source: 'graph' });
    }
    summary.attributed.added += 1;
  }
  for (const [key, row] of assignments) {
    if (row.removedAt || attributed.has(key)) continue;
    const skuId = skuOfSubscription.get(row.subscriptionId);
    const deleted = liveInTenant.get(row.subscriptionId) === false || deletedInRecord.get(row.subscriptionId) === true;
    const lostLicense = skuId !== undefined && !held.has(`${skuId}|${row.userId}`);
    const noLongerSingle = row.source === 'graph' && subscriptionsComplete;
    if (!deleted && !lostLicense && !noLongerSingle) continue;
    writes.assignments.remove.push(row.id);
    summary.attributed.removed += 1;
  }

  if (!syncChangedNothing(summary)) {
    audits.push({
      actorId,
      action: 'tenant.synced',
      subjectType: 'tenant',
      after: { new: counts(summary.new), changed: counts(summary.changed), gone: counts(summary.gone), attributed: summary.attributed },
      detail: `skipped ${summary.skipped.count}, errors ${summary.errors.count}`,
      at: now,
    });
  }
  return { writes, audits, summary };
}

function counts({ names: _names, ...rest }: SyncTally): Omit<SyncTally, 'names'> {
  return rest;
}

/** True when a sync's summary says it changed nothing in the record. */
export function syncChangedNothing(summary: SyncSummary): boolean {
  return (
    [summary.new, summary.changed, summary.gone].every((t) => t.subscriptions + t.people + t.products + t.licenses === 0) &&
    summary.attributed.added + summary.attributed.removed === 0
  );
}
