/**
 * Each row of an import, checked with zod: what a cell must hold, and a reason that names the
 * column as the file spells it and the value found, e.g. `"Licenses" must be a whole number of
 * licenses such as 5, not "five"`. Pure: what needs the record (does the product exist?) is
 * checked when the rows are applied.
 */
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { isCurrency, parseAmount, type Money } from '../../domain/money.js';
import type { ColumnMap, HolderField, SubscriptionField } from './columns.js';
import type { CsvRow } from './read-csv.js';

export interface SubscriptionRow {
  line: number;
  id: string;
  product: string;
  purchaserEmail: string | undefined;
  purchaserName: string | undefined;
  licenses: number;
  purchased: Date;
  /** undefined: the file has no renewal date for it. */
  renews: Date | undefined;
  /** undefined: the file gives no price. */
  unitPrice: Money | undefined;
  trial: boolean;
  status: 'Active' | 'Deleted';
  selfService: boolean | undefined;
}

export interface HolderRow {
  line: number;
  subscriptionId: string | undefined;
  /** Product names (the admin center's user export lists several, joined by "+"). */
  products: string[];
  email: string;
  name: string | undefined;
}

export type Refusal = { line: number; reason: string };
export type Checked<T> = { ok: true; row: T } | { ok: false; refusal: Refusal };

const SUBSCRIPTION_ID = /^[A-Za-z0-9][A-Za-z0-9-]{5,63}$/;

const YES = new Set(['yes', 'y', 'true', '1', 'x']);
const NO = new Set(['no', 'n', 'false', '0']);
const yesNo = z.string().transform((value, ctx) => {
  const word = value.toLowerCase();
  if (YES.has(word)) return true;
  if (NO.has(word)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be yes or no (true/false work too)' });
  return z.NEVER;
});

/** Microsoft's statuses too; the record keeps Active or Deleted (Graph's raw status comes from a sync). */
const STATUS: Record<string, 'Active' | 'Deleted'> = {
  active: 'Active',
  enabled: 'Active',
  warning: 'Active',
  ingraceperiod: 'Active',
  suspended: 'Active',
  lockedout: 'Active',
  deleted: 'Deleted',
  disabled: 'Deleted',
  expired: 'Deleted',
  cancelled: 'Deleted',
  canceled: 'Deleted',
};
const status = z.string().transform((value, ctx) => {
  const mapped = STATUS[value.toLowerCase().replace(/[^a-z]/g, '')];
  if (mapped) return mapped;
  ctx.addIssue({ code: 'custom', message: 'must be Active or Deleted (Enabled, Warning, Expired, Disabled and Cancelled are understood too)' });
  return z.NEVER;
});

const count = z.string().transform((value, ctx) => {
  const plain = value.replace(/[\s,]/g, '');
  if (/^\d{1,7}$/.test(plain)) return Number(plain);
  ctx.addIssue({ code: 'custom', message: 'must be a whole number of licenses such as 5' });
  return z.NEVER;
});

/** 2026-11-30 and 11/30/2026 are that day in the bot's time zone; an ISO instant with its offset is that instant. */
function dateIn(timeZone: string) {
  return z.string().transform((value, ctx) => {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    const [year, month, date] = day ? [day[1], day[2], day[3]] : us ? [us[3], us[1], us[2]] : [];
    if (year && month && date) {
      const local = new TZDate(Number(year), Number(month) - 1, Number(date), timeZone);
      if (local.getMonth() === Number(month) - 1 && local.getDate() === Number(date)) return new Date(local.getTime());
    } else if (z.iso.datetime({ offset: true }).safeParse(value).success) {
      return new Date(value);
    }
    ctx.addIssue({ code: 'custom', message: 'must be a date such as 2026-11-30 (or 11/30/2026)' });
    return z.NEVER;
  });
}

const email = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.email({ error: 'must be an email address or UPN such as ana.lopez@contoso.com' }));

function subscriptionSchema(timeZone: string) {
  return z
    .object({
      id: z
        .string({ error: 'is empty: each subscription needs its id' })
        .regex(SUBSCRIPTION_ID, 'must be a subscription id: letters, digits and dashes, 6 to 64 of them'),
      product: z.string({ error: 'is empty: name the product (as `/purchases policy` lists it) or give its ProductId' }),
      purchaserEmail: email.optional(),
      purchaserName: z.string().optional(),
      licenses: z.string({ error: 'is empty: how many licenses were bought?' }).pipe(count),
      purchased: z.string({ error: 'is empty: when was it bought?' }).pipe(dateIn(timeZone)),
      renews: dateIn(timeZone).optional(),
      unitPrice: z.string().optional(),
      currency: z
        .string()
        .transform((value) => value.toUpperCase())
        .refine(isCurrency, 'must be an ISO 4217 currency code such as USD or EUR')
        .optional(),
      trial: yesNo.optional(),
      status: status.optional(),
      selfService: yesNo.optional(),
    })
    .transform((row, ctx) => {
      let unitPrice: Money | undefined;
      if (row.unitPrice !== undefined) {
        unitPrice = row.currency ? parseAmount(row.unitPrice, row.currency) : undefined;
        if (!row.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is empty: a price needs its currency (USD, EUR, …)' });
        else if (!unitPrice)
          ctx.addIssue({ code: 'custom', path: ['unitPrice'], message: `must be the monthly price of one license in ${row.currency}, such as 14.00` });
      }
      return { ...row, id: row.id.toLowerCase(), unitPrice };
    });
}

const holderSchema = z.object({
  subscriptionId: z.string().regex(SUBSCRIPTION_ID, 'must be a subscription id: letters, digits and dashes, 6 to 64 of them').optional(),
  email: z.string({ error: 'is empty: whose license is it?' }).pipe(email),
  name: z.string().optional(),
  product: z.string().optional(),
});

/** The row's cells by field: empty cells are absent. */
function cellsOf<F extends string>(row: CsvRow, columns: ColumnMap<F>): Partial<Record<F, string>> {
  const cells: Partial<Record<F, string>> = {};
  for (const [field, index] of Object.entries(columns) as Array<[F, number]>) {
    const cell = row.cells[index];
    if (cell !== undefined && cell !== '') cells[field] = cell;
  }
  return cells;
}

function refusal<F extends string>(row: CsvRow, headers: string[], columns: ColumnMap<F>, cells: Partial<Record<F, string>>, error: z.ZodError): Refusal {
  const reasons = error.issues.map((issue) => {
    const field = issue.path[0] as F | undefined;
    const index = field !== undefined ? columns[field] : undefined;
    const header = index !== undefined ? headers[index] : String(field ?? 'row');
    const value = field !== undefined ? cells[field] : undefined;
    return `"${header}" ${issue.message}${value !== undefined ? `, not "${value.slice(0, 80)}"` : ''}`;
  });
  return { line: row.line, reason: [...new Set(reasons)].join('; ') };
}

export function checkSubscriptionRow(row: CsvRow, headers: string[], columns: ColumnMap<SubscriptionField>, timeZone: string): Checked<SubscriptionRow> {
  const cells = cellsOf(row, columns);
  const parsed = subscriptionSchema(timeZone).safeParse(cells);
  if (!parsed.success) return { ok: false, refusal: refusal(row, headers, columns, cells, parsed.error) };
  const value = parsed.data;
  return {
    ok: true,
    row: {
      line: row.line,
      id: value.id,
      product: value.product,
      purchaserEmail: value.purchaserEmail,
      purchaserName: value.purchaserName,
      licenses: value.licenses,
      purchased: value.purchased,
      renews: value.renews,
      unitPrice: value.unitPrice,
      trial: value.trial ?? false,
      status: value.status ?? 'Active',
      selfService: value.selfService,
    },
  };
}

export function checkHolderRow(row: CsvRow, headers: string[], columns: ColumnMap<HolderField>, product: string | undefined): Checked<HolderRow> {
  const cells = cellsOf(row, columns);
  const parsed = holderSchema.safeParse(cells);
  if (!parsed.success) return { ok: false, refusal: refusal(row, headers, columns, cells, parsed.error) };
  const value = parsed.data;
  const products =
    value.product !== undefined
      ? value.product
          .split('+')
          .map((p) => p.trim())
          .filter(Boolean)
      : product
        ? [product]
        : [];
  return {
    ok: true,
    row: { line: row.line, subscriptionId: value.subscriptionId?.toLowerCase(), products, email: value.email, name: value.name },
  };
}
