/**
 * `/purchases export`: a CSV of the users holding licenses of a product or of given
 * subscriptions. Rows are read in batches with their user and purchaser through the database's
 * driver (export-rows.ts says why), and each batch's CSV goes to a temporary file as soon as it
 * is written, so a million rows never sit in memory at once and a product's subscriptions are
 * never listed in a query.
 */
import { type FileHandle, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findUnattributedHoldersPage } from '../db/repositories/attribution.js';
import { listProducts } from '../db/repositories/catalog.js';
import { readExportRows, type ExportScope } from '../db/repositories/export-rows.js';
import { recordAudit } from '../db/repositories/audit.js';
import { csvField, csvRecord, neutralizeCell } from '../domain/csv.js';
import { AppError, isAppError } from '../domain/errors.js';
import { quoteInput } from '../domain/text.js';
import { dateTimeFormatter, formatDay } from '../domain/dates.js';
import { matchProduct } from '../domain/products.js';
import type { Actor, ServiceContext } from './context.js';
import { findSubscription } from './show-subscription.js';
import type { SubscriptionSummary } from './subscription-summary.js';

export const CSV_COLUMNS = ['Subscription id', 'Product', 'Purchaser', 'User name', 'Email / UPN', 'Assigned at'] as const;
/**
 * Rows handed over at a time. Small on purpose: a batch lives while its CSV is written, and rows
 * that outlive young-generation collections fill the old generation with garbage until a full
 * collection (batches of 5,000 grew the process by 200 MB and more on a 275,000-row export). On
 * a 2.8-million-row export, batches of 1,000 grew it by 150–320 MB (its heap climbing to 250 MB
 * between full collections), batches of 100 by 140–150 MB, and ran a tenth faster.
 */
const BATCH = 100;
/** Holders no subscription claims read at a time (a query each). */
const HOLDERS_PAGE = 1000;
/** Bytes of CSV gathered before they are written: the next batches are made while the disk writes these. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** Whose users to export: every subscription of a product, or the given subscriptions (ids or prefixes). */
export type ExportTarget = { kind: 'product'; product: string } | { kind: 'subscriptions'; refs: string[] };

export interface CsvExport {
  path: string;
  filename: string;
  title: string;
  /** Whose users: the product's name, `subscription 3f2b9c1a` or `3 subscriptions`. */
  label: string;
  rows: number;
  /** Rows of holders no subscription claims (a product's export on Microsoft 365), among `rows`. */
  unattributed: number;
  bytes: number;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

interface Target {
  label: string;
  slug: string;
  product: { id: string; name: string } | null;
  subscriptions: SubscriptionSummary[];
  scope: ExportScope;
}

async function targetOf(ctx: ServiceContext, target: ExportTarget): Promise<Target> {
  if (target.kind === 'product') {
    const product = matchProduct(target.product, await listProducts(ctx.prisma));
    return { label: product.name, slug: product.name, product, subscriptions: [], scope: { productId: product.id } };
  }
  const subscriptions: SubscriptionSummary[] = [];
  const missing: string[] = [];
  for (const ref of new Set(target.refs)) {
    try {
      const subscription = await findSubscription(ctx, ref);
      if (!subscriptions.some((s) => s.id === subscription.id)) subscriptions.push(subscription);
    } catch (error) {
      if (!(isAppError(error) && error.code === 'not_found') || target.refs.length === 1) throw error;
      missing.push(ref);
    }
  }
  if (missing.length > 0) {
    throw new AppError(
      'not_found',
      `export: no subscriptions ${missing.join(', ')}`,
      `No subscription has the id ${missing
        .slice(0, 5)
        .map((ref) => quoteInput(ref))
        .join(
          ', ',
        )}${missing.length > 5 ? ` or ${missing.length - 5} more of those given` : ''}; nothing was exported. \`/purchases list status:all\` shows every subscription with its id.`,
    );
  }
  const label = subscriptions.length === 1 ? `subscription ${subscriptions[0]!.shortId}` : `${subscriptions.length} subscriptions`;
  const slug = subscriptions.length === 1 ? subscriptions[0]!.shortId : 'subscriptions';
  return { label, slug, product: null, subscriptions, scope: { subscriptionIds: subscriptions.map((s) => s.id) } };
}

/** The purchaser column of a holder no subscription claims. */
export const NOT_ATTRIBUTED = 'Not attributed to a subscription (Microsoft 365 assigns licenses per product)';

/** A CSV cell of a value from the record: neutralised for spreadsheets, then quoted as CSV asks. */
const cell = (value: string) => csvField(neutralizeCell(value));

/**
 * The product's holders in Microsoft 365 that no subscription claims (Graph assigns licenses per
 * product): one row each, with no subscription id, so the file holds everyone licensed. A person
 * holding two of its SKUs is one row per SKU. CSV text a page at a time.
 */
async function* unattributedCsv(ctx: ServiceContext, product: { id: string; name: string }, counter: { rows: number; unattributed: number }) {
  const formatFirstSeen = dateTimeFormatter(ctx.timeZone);
  const leading = `${cell('')},${cell(product.name)},${cell(NOT_ATTRIBUTED)},`;
  let afterId: string | undefined;
  for (;;) {
    const batch = await findUnattributedHoldersPage(ctx.prisma, product.id, { limit: HOLDERS_PAGE, ...(afterId ? { afterId } : {}) });
    let text = '';
    for (const row of batch) text += `${leading}${cell(row.user.name)},${cell(row.user.email)},${cell(formatFirstSeen(row.firstSeenAt))}\r\n`;
    counter.rows += batch.length;
    counter.unattributed += batch.length;
    yield text;
    if (batch.length < HOLDERS_PAGE) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/**
 * The CSV, as text a batch of rows at a time (one step of the generator a batch, not a row):
 * each row is csvRecord of its neutralised cells. A subscription's own cells (id, product,
 * purchaser) are written once for all its rows, and a time once for the rows that share it.
 */
async function* csvText(ctx: ServiceContext, target: Target, counter: { rows: number; unattributed: number }) {
  yield csvRecord(CSV_COLUMNS);
  const productOf = new Map(target.subscriptions.map((s) => [s.id, s.product.name]));
  const formatAssignedAt = dateTimeFormatter(ctx.timeZone);
  let subscriptionId: string | undefined;
  let leading = '';
  let assignedAt = Number.NaN;
  let assignedAtCell = '';
  for await (const batch of readExportRows(ctx.prisma, target.scope, BATCH)) {
    let text = '';
    for (const row of batch) {
      if (row.subscriptionId !== subscriptionId) {
        subscriptionId = row.subscriptionId;
        const purchaser = row.purchaser ? `${row.purchaser.name} <${row.purchaser.email}>` : 'Central subscription';
        leading = `${cell(row.subscriptionId)},${cell(target.product?.name ?? productOf.get(row.subscriptionId) ?? '')},${cell(purchaser)},`;
      }
      if (row.assignedAt.getTime() !== assignedAt) {
        assignedAt = row.assignedAt.getTime();
        assignedAtCell = cell(formatAssignedAt(row.assignedAt));
      }
      text += `${leading}${cell(row.userName)},${cell(row.userEmail)},${assignedAtCell}\r\n`;
    }
    counter.rows += batch.length;
    yield text;
  }
  if (target.product) yield* unattributedCsv(ctx, target.product, counter);
}

/**
 * Writes the CSV text to `path` as it comes (a batch's text, about 170 KB for 1,000 rows),
 * encoded into one of two buffers of WRITE_BUFFER_BYTES that take turns: one is filled while the
 * other is written, and each is reused once its write has ended. Handing each text to a write
 * stream turned it into a new buffer outside the JavaScript heap, and those buffers lingered as
 * garbage until V8's next full collection: up to about 60 MB on a 277,000-row export.
 */
export async function writeCsv(path: string, texts: AsyncIterable<string>, bufferBytes = WRITE_BUFFER_BYTES): Promise<void> {
  const file = await open(path, 'w');
  let writing: Promise<void> = Promise.resolve();
  try {
    let filling = Buffer.allocUnsafeSlow(bufferBytes);
    let spare = Buffer.allocUnsafeSlow(bufferBytes);
    let used = 0;
    const flush = async () => {
      await writing; // `spare` is free once its write has ended
      const full = filling.subarray(0, used);
      writing = writeAll(file, full);
      // Failing while the next rows are read, it is thrown by the next flush (the export's own
      // error), not left an unhandled rejection for the process's last-resort handler.
      writing.catch(() => undefined);
      [filling, spare] = [spare, filling];
      used = 0;
    };
    for await (const text of texts) {
      let rest = text;
      for (;;) {
        const { read, written } = encoder.encodeInto(rest, filling.subarray(used));
        used += written;
        if (read === rest.length) break;
        rest = rest.slice(read);
        await flush();
      }
    }
    await flush();
    await writing;
  } finally {
    // A write still running when the text failed: its own failure, if any, is not this one's.
    await writing.catch(() => undefined);
    await file.close();
  }
}

const encoder = new TextEncoder();

/** The whole of `bytes` (a write may take fewer bytes than it is given). */
async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += (await file.write(bytes, offset, bytes.length - offset)).bytesWritten;
}

function fileSlug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'export'
  );
}

export async function exportUsers(ctx: ServiceContext, actor: Actor, target: ExportTarget): Promise<CsvExport> {
  const resolved = await targetOf(ctx, target);
  const { label, slug, subscriptions } = resolved;
  const dir = await mkdtemp(join(tmpdir(), 'purchases-export-'));
  const day = formatDay(ctx.now, ctx.timeZone);
  const filename = `licensed-users-${fileSlug(slug)}-${day}.csv`;
  const path = join(dir, filename);
  const counter = { rows: 0, unattributed: 0 };
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await writeCsv(path, csvText(ctx, resolved, counter));
  } catch (error) {
    await dispose();
    throw error;
  }
  const { size } = await stat(path);
  await recordAudit(ctx.prisma, {
    actorId: actor.slackUserId,
    action: 'export.users',
    subjectType: target.kind === 'product' ? 'product' : 'subscription',
    subjectId: resolved.product ? resolved.product.id : subscriptions.map((s) => s.id).join(','),
    after: { rows: counter.rows, ...(resolved.product ? { unattributed: counter.unattributed } : { subscriptions: subscriptions.length }) },
    at: ctx.now,
  });
  return { path, filename, title: `Licensed users: ${label}`, label, rows: counter.rows, unattributed: counter.unattributed, bytes: size, dispose };
}
