/**
 * Importing a CSV file into the record (any TENANT): the bot's templates, or the Microsoft 365
 * admin center's exports (see columns.ts). Every row is checked; the report lists the rows
 * accepted and, by line, those refused and why. The accepted rows are written in one
 * transaction: all of them or, on a failure, none. Only values that differ are written, so the
 * same file twice changes nothing. Each import is kept as an ImportRun (who, when, which file,
 * what it accepted, refused and changed), and real changes are audited.
 */
import { createHash, randomUUID } from 'node:crypto';
import { findImportProducts, findLatestImportOf, recordImportRun, takeImportTurn } from '../../db/repositories/imports.js';
import { recordAudits } from '../../db/repositories/audit.js';
import { AppError } from '../../domain/errors.js';
import type { Actor, ServiceContext } from '../context.js';
import { applyHolderRows } from './apply-holders.js';
import { applySubscriptionRows } from './apply-subscriptions.js';
import { detectLayout, type ImportKind } from './columns.js';
import { productResolver, unknownProductReason } from './products.js';
import { readCsv } from './read-csv.js';
import { checkHolderRow, checkSubscriptionRow, type HolderRow, type Refusal, type SubscriptionRow } from './rows.js';

export interface ImportInput {
  fileName: string;
  content: string | Buffer;
  /** The product of a file of holders that does not name it (the admin center's per-product export). */
  product?: string | undefined;
}

export interface ImportReport {
  fileName: string;
  kind: ImportKind;
  /** Rows that were valid and are in the record now (changed or already so). */
  accepted: number;
  /** By line: what was wrong with each refused row. */
  refused: Refusal[];
  /** Rows that concern nothing in the record (a user export's rows without any known product). */
  skipped: Refusal[];
  /** Product names in the file that the record does not know, left aside. */
  ignoredProducts: Array<{ name: string; rows: number }>;
  /** Rows of the record created or changed, people created included. */
  changed: number;
  /** The same file imported before: when and by whom. */
  previously: { at: Date; by: string } | null;
}

/** Subscription lines are refused when their id is already on an earlier line. */
function refuseRepeats(rows: SubscriptionRow[]): { rows: SubscriptionRow[]; refused: Refusal[] } {
  const first = new Map<string, number>();
  const refused: Refusal[] = [];
  const kept = rows.filter((row) => {
    const line = first.get(row.id);
    if (line === undefined) {
      first.set(row.id, row.line);
      return true;
    }
    refused.push({ line: row.line, reason: `subscription ${row.id} is already on line ${line}` });
    return false;
  });
  return { rows: kept, refused };
}

export async function importCsv(ctx: ServiceContext, actor: Actor, input: ImportInput): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const table = readCsv(input.content);
  const layout = detectLayout(table.headers, { product: input.product });
  const refused: Refusal[] = [];

  if (layout.kind === 'holders' && input.product && layout.columns.product === undefined) {
    if (!productResolver(await findImportProducts(ctx.prisma))(input.product)) {
      throw new AppError('not_found', `unknown product ${input.product}`, `${unknownProductReason(input.product)}.`);
    }
  }

  const report = await ctx.prisma.$transaction(
    async (tx) => {
      await takeImportTurn(tx);
      const previous = await findLatestImportOf(tx, sha256);
      let applied: Awaited<ReturnType<typeof applyHolderRows>>;
      let accepted: number;
      if (layout.kind === 'subscriptions') {
        const valid: SubscriptionRow[] = [];
        for (const row of table.rows) {
          const checked = checkSubscriptionRow(row, table.headers, layout.columns, ctx.timeZone);
          if (checked.ok) valid.push(checked.row);
          else refused.push(checked.refusal);
        }
        const unique = refuseRepeats(valid);
        refused.push(...unique.refused);
        const result = await applySubscriptionRows(tx, ctx, actor, {
          rows: unique.rows,
          fileName: input.fileName,
          hasPurchaserColumn: layout.columns.purchaserEmail !== undefined,
        });
        applied = { ...result, skipped: [], ignoredProducts: [] };
        accepted = unique.rows.length - result.refused.length;
      } else {
        const valid: HolderRow[] = [];
        for (const row of table.rows) {
          const checked = checkHolderRow(row, table.headers, layout.columns, input.product);
          if (checked.ok) valid.push(checked.row);
          else refused.push(checked.refusal);
        }
        applied = await applyHolderRows(tx, ctx, actor, { rows: valid, fileName: input.fileName });
        accepted = valid.length - applied.refused.length - applied.skipped.length;
      }
      refused.push(...applied.refused);
      refused.sort((a, b) => a.line - b.line);
      await recordAudits(tx, applied.audits);
      await recordImportRun(tx, {
        id: randomUUID(),
        at: ctx.now,
        by: actor.slackUserId,
        fileName: input.fileName,
        sha256,
        kind: layout.kind,
        accepted,
        refused: refused.length,
        changed: applied.changed,
      });
      return {
        fileName: input.fileName,
        kind: layout.kind,
        accepted,
        refused,
        skipped: applied.skipped,
        ignoredProducts: applied.ignoredProducts,
        changed: applied.changed,
        previously: previous ? { at: previous.at, by: previous.by } : null,
      } satisfies ImportReport;
    },
    // A large file is many statements: more than Prisma's default 5 s for an interactive transaction.
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
  return report;
}
