/**
 * `/purchases export`: a CSV of the users holding licenses of a product or of given
 * subscriptions. Rows are read in keyset batches and streamed through csv-stringify into a
 * temporary file, so 100k rows never sit in memory at once.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { listProducts } from '../db/repositories/catalog.js';
import { findCurrentAssignments, findSubscriptionsOfProduct } from '../db/repositories/subscriptions.js';
import { recordAudit } from '../db/repositories/audit.js';
import { CSV_QUOTED_MATCH, neutralizeCell } from '../domain/csv.js';
import { formatDateTime, formatDay } from '../domain/dates.js';
import { matchProduct } from '../domain/products.js';
import type { Actor, ServiceContext } from './context.js';
import { findSubscription } from './show-subscription.js';
import { toSummary, type SubscriptionSummary } from './subscription-summary.js';

export const CSV_COLUMNS = ['Subscription id', 'Product', 'Purchaser', 'User name', 'Email / UPN', 'Assigned at'] as const;
const BATCH = 1000;

/** Whose users to export: every subscription of a product, or the given subscriptions (ids or prefixes). */
export type ExportTarget = { kind: 'product'; product: string } | { kind: 'subscriptions'; refs: string[] };

export interface CsvExport {
  path: string;
  filename: string;
  title: string;
  rows: number;
  bytes: number;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

async function subscriptionsOf(ctx: ServiceContext, target: ExportTarget): Promise<{ label: string; slug: string; subscriptions: SubscriptionSummary[] }> {
  if (target.kind === 'product') {
    const product = matchProduct(target.product, await listProducts(ctx.prisma));
    const subscriptions = (await findSubscriptionsOfProduct(ctx.prisma, product.id)).map(toSummary);
    return { label: product.name, slug: product.name, subscriptions };
  }
  const subscriptions: SubscriptionSummary[] = [];
  for (const ref of new Set(target.refs)) {
    const subscription = await findSubscription(ctx, ref);
    if (!subscriptions.some((s) => s.id === subscription.id)) subscriptions.push(subscription);
  }
  const label = subscriptions.length === 1 ? `subscription ${subscriptions[0]!.shortId}` : `${subscriptions.length} subscriptions`;
  return { label, slug: subscriptions.length === 1 ? subscriptions[0]!.shortId : 'subscriptions', subscriptions };
}

async function* csvRecords(ctx: ServiceContext, subscriptions: SubscriptionSummary[], counter: { rows: number }) {
  yield [...CSV_COLUMNS];
  const byId = new Map(subscriptions.map((s) => [s.id, s]));
  const ids = [...byId.keys()];
  let afterId: string | undefined;
  for (;;) {
    const batch = await findCurrentAssignments(ctx.prisma, ids, { limit: BATCH, ...(afterId ? { afterId } : {}) });
    for (const row of batch) {
      const subscription = byId.get(row.subscriptionId)!;
      counter.rows += 1;
      yield [
        subscription.id,
        subscription.product.name,
        subscription.purchaser ? `${subscription.purchaser.name} <${subscription.purchaser.email}>` : 'Central subscription',
        row.user.name,
        row.user.email,
        formatDateTime(row.assignedAt, ctx.timeZone),
      ].map(neutralizeCell);
    }
    if (batch.length < BATCH) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

function fileSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'export';
}

export async function exportUsers(ctx: ServiceContext, actor: Actor, target: ExportTarget): Promise<CsvExport> {
  const { label, slug, subscriptions } = await subscriptionsOf(ctx, target);
  const dir = await mkdtemp(join(tmpdir(), 'purchases-export-'));
  const day = formatDay(ctx.now, ctx.timeZone);
  const filename = `licensed-users-${fileSlug(slug)}-${day}.csv`;
  const path = join(dir, filename);
  const counter = { rows: 0 };
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(
      Readable.from(csvRecords(ctx, subscriptions, counter)),
      stringify({ record_delimiter: 'windows', quoted_match: CSV_QUOTED_MATCH }),
      createWriteStream(path),
    );
  } catch (error) {
    await dispose();
    throw error;
  }
  const { size } = await stat(path);
  await recordAudit(ctx.prisma, {
    actorId: actor.slackUserId,
    action: 'export.users',
    subjectType: target.kind === 'product' ? 'product' : 'subscription',
    subjectId: target.kind === 'product' ? (subscriptions[0]?.product.id ?? null) : subscriptions.map((s) => s.id).join(','),
    after: { rows: counter.rows, subscriptions: subscriptions.length },
    at: ctx.now,
  });
  return { path, filename, title: `Licensed users: ${label}`, rows: counter.rows, bytes: size, dispose };
}
