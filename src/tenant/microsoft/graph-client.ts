/**
 * Microsoft Graph v1.0: the tenant's products (subscribedSkus), subscriptions
 * (directory/subscriptions), users with their licenses, and license changes (assignLicense).
 * Retries, tokens, paging and error messages come from the HTTP core in http.ts; the token
 * scope is Graph's origin + "/.default", asked with the same app registration as the
 * licensing client.
 *
 * Every item is checked with zod: one that lacks a field the bot relies on is skipped and
 * counted (SkippedItem), never fatal; a page that is not a Graph collection at all is an error.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { LicenseChange, LicenseChangeResult, SkippedItem, TenantSku, TenantSubscription, TenantUser, TenantUserLicense } from '../port.js';
import { createHttpClient, type HttpCall, type HttpClientOptions, type HttpLogEntry } from './http.js';

export type GraphLogEntry = HttpLogEntry<'graph'>;
/** `baseUrl` is Graph's origin (MS_GRAPH_URL), e.g. https://graph.microsoft.com. */
export type GraphClientOptions = Omit<HttpClientOptions<'graph'>, 'service'>;

/** Items that passed validation, and those that did not. */
export interface Listed<T> {
  items: T[];
  skipped: SkippedItem[];
}

export interface GraphClient {
  listSubscribedSkus(): Promise<Listed<TenantSku>>;
  listSubscriptions(): Promise<Listed<TenantSubscription>>;
  listUsers(): Promise<Listed<TenantUser>>;
  /** One assignLicense call; Graph's refusals come back as results, in Graph's words. */
  assignLicense(change: LicenseChange): Promise<LicenseChangeResult>;
}

/** `$top` may be at most 999 for users: https://learn.microsoft.com/en-us/graph/api/user-list */
const USERS_PAGE_SIZE = 999;
export const USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled', 'assignedLicenses', 'licenseAssignmentStates'];
const MAX_PAGES = 100;
/** 999 users a page: a million users before the bot assumes Graph is looping. */
const MAX_USER_PAGES = 1000;

/**
 * Graph's application permissions, what each lets the bot do, and what still works without it
 * (permissions per call: the "Permissions" table of each API page cited below).
 */
const PERMISSIONS = {
  'Organization.Read.All': {
    what: "read the tenant's subscriptions and seat counts",
    without: "Without it the bot cannot sync subscriptions from Microsoft 365; purchase policies, imports and the bot's own record keep working.",
  },
  'User.Read.All': {
    what: "read the tenant's users and the licenses they hold",
    without: "Without it the bot cannot sync who holds which license; purchase policies, imports and the bot's own record keep working.",
  },
  'LicenseAssignment.ReadWrite.All': {
    what: "change users' licenses",
    without:
      'Without it the bot reads and reports but does not change licenses: remove or move them in the Microsoft 365 admin center (Billing › Licenses) instead.',
  },
} as const;
type Permission = keyof typeof PERMISSIONS;

function forbiddenBy(permission: Permission) {
  return (status: number) =>
    `Microsoft Graph refused to let the bot ${PERMISSIONS[permission].what} (HTTP ${status}). ` +
    `Grant the bot's app registration the Microsoft Graph application permission ${permission}, with admin consent ` +
    '(Microsoft Entra admin center › App registrations › API permissions). ' +
    PERMISSIONS[permission].without;
}

/** A Graph collection: `{ value: [...], "@odata.nextLink"?: url }` (https://learn.microsoft.com/en-us/graph/paging). */
const collectionSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/**
 * subscribedSku: https://learn.microsoft.com/en-us/graph/api/resources/subscribedsku
 * (prepaidUnits is a licenseUnitsDetail: enabled, suspended, warning, lockedOut).
 */
const skuSchema = z
  .object({
    skuId: z.guid(),
    skuPartNumber: z.string().min(1),
    prepaidUnits: z.object({ enabled: z.number().int().nonnegative() }),
    consumedUnits: z.number().int().nonnegative(),
    subscriptionIds: z.array(z.string()).nullish(),
  })
  .transform(
    (sku): TenantSku => ({
      skuId: sku.skuId.toLowerCase(),
      skuPartNumber: sku.skuPartNumber,
      enabledUnits: sku.prepaidUnits.enabled,
      consumedUnits: sku.consumedUnits,
      subscriptionIds: sku.subscriptionIds ?? [],
    }),
  );

const graphDateTime = z.iso.datetime({ offset: true });

/** companySubscription: https://learn.microsoft.com/en-us/graph/api/resources/companysubscription */
const subscriptionSchema = z
  .object({
    id: z.string().min(1),
    commerceSubscriptionId: z.string().nullish(),
    skuId: z.guid(),
    skuPartNumber: z.string().min(1),
    status: z.enum(['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut']),
    totalLicenses: z.number().int().nonnegative(),
    isTrial: z.boolean(),
    createdDateTime: graphDateTime,
    nextLifecycleDateTime: graphDateTime.nullish(),
    ownerId: z.string().nullish(),
    ownerType: z.string().nullish(),
  })
  .transform(
    (subscription): TenantSubscription => ({
      id: subscription.id,
      commerceSubscriptionId: subscription.commerceSubscriptionId ?? null,
      skuId: subscription.skuId.toLowerCase(),
      skuPartNumber: subscription.skuPartNumber,
      status: subscription.status,
      totalLicenses: subscription.totalLicenses,
      isTrial: subscription.isTrial,
      createdAt: new Date(subscription.createdDateTime),
      nextLifecycleAt: subscription.nextLifecycleDateTime ? new Date(subscription.nextLifecycleDateTime) : null,
      ownerId: subscription.ownerId ?? null,
      ownerType: subscription.ownerType ?? null,
    }),
  );

/**
 * user: https://learn.microsoft.com/en-us/graph/api/resources/user, with assignedLicense
 * (https://learn.microsoft.com/en-us/graph/api/resources/assignedlicense: skuId, disabledPlans)
 * and licenseAssignmentState
 * (https://learn.microsoft.com/en-us/graph/api/resources/licenseassignmentstate:
 * assignedByGroup is null when assigned directly, else the group's id; state Active,
 * ActiveWithError, Disabled or Error; error null on success).
 */
const userSchema = z
  .object({
    id: z.string().min(1),
    displayName: z.string().nullish(),
    mail: z.string().nullish(),
    userPrincipalName: z.string().min(1),
    accountEnabled: z.boolean().nullish(),
    assignedLicenses: z.array(z.object({ skuId: z.guid() })).nullish(),
    licenseAssignmentStates: z
      .array(
        z.object({
          skuId: z.guid(),
          assignedByGroup: z.string().nullish(),
          state: z.string().nullish(),
          error: z.string().nullish(),
        }),
      )
      .nullish(),
  })
  .transform((user): TenantUser => {
    const states = user.licenseAssignmentStates ?? [];
    // A user holds what assignedLicenses lists; the states say how (directly or by a group).
    const skuIds = [...new Set((user.assignedLicenses ?? []).map((license) => license.skuId.toLowerCase()))];
    const licenses = skuIds.map((skuId): TenantUserLicense => {
      const mine = states.filter((state) => state.skuId.toLowerCase() === skuId);
      const direct = mine.filter((state) => !state.assignedByGroup);
      const shown = direct[0] ?? mine[0];
      return {
        skuId,
        // An assigned license without any state counts as direct.
        direct: mine.length === 0 || direct.length > 0,
        viaGroups: [...new Set(mine.flatMap((state) => (state.assignedByGroup ? [state.assignedByGroup] : [])))],
        state: shown?.state ?? null,
        // Graph writes "None" where the reference says null.
        error: shown?.error && shown.error !== 'None' ? shown.error : null,
      };
    });
    return {
      id: user.id,
      displayName: user.displayName ?? user.userPrincipalName,
      mail: user.mail ?? null,
      userPrincipalName: user.userPrincipalName,
      accountEnabled: user.accountEnabled ?? null,
      licenses,
    };
  });

/** A user as assignLicense returns it: only its id is relied on. */
const assignedUserSchema = z.object({ id: z.string() });

function idOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const id = record.id ?? record.skuId;
  return typeof id === 'string' ? id : undefined;
}

function validateEach<T>(what: SkippedItem['what'], raw: unknown[], schema: z.ZodType<T>): Listed<T> {
  const listed: Listed<T> = { items: [], skipped: [] };
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      listed.items.push(parsed.data);
      continue;
    }
    const id = idOf(item);
    const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`).join('; ');
    listed.skipped.push({ what, ...(id === undefined ? {} : { id }), reason });
  }
  return listed;
}

/**
 * assignLicense's refusals, as Graph words them (400 Request_BadRequest):
 * - "Subscription with SKU <id> does not have any available licenses."
 * - "License assignment cannot be done for user with invalid usage location."
 * - "User license is inherited from a group membership and it cannot be removed directly from the user."
 * https://learn.microsoft.com/en-us/graph/api/user-assignlicense
 */
const REFUSALS: Array<{ pattern: RegExp; code: 'no_licenses' | 'usage_location' | 'group_assigned' }> = [
  { pattern: /does not have any available licenses/i, code: 'no_licenses' },
  { pattern: /invalid usage location/i, code: 'usage_location' },
  { pattern: /inherited from a group membership/i, code: 'group_assigned' },
];

const licenseChangeSchema = z
  .object({
    userId: z.string().min(1),
    add: z.array(z.guid()).optional(),
    remove: z.array(z.guid()).optional(),
  })
  .refine((change) => (change.add?.length ?? 0) + (change.remove?.length ?? 0) > 0, 'names no license to add or remove');

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = new URL(options.baseUrl).origin;
  const http = createHttpClient({
    ...options,
    baseUrl: origin,
    service: {
      log: 'graph',
      name: 'Microsoft Graph',
      shortName: 'Microsoft Graph',
      scope: `${origin}/.default`,
      // https://learn.microsoft.com/en-us/graph/errors: the id Graph echoes in its answers.
      correlationHeader: 'client-request-id',
      unexpectedAdvice: 'Try again later; if it keeps happening, check the subscriptions in the Microsoft 365 admin center.',
    },
  });

  async function list<T>(what: SkippedItem['what'], url: string, schema: z.ZodType<T>, permission: Permission, maxPages: number): Promise<Listed<T>> {
    const listed: Listed<T> = { items: [], skipped: [] };
    for await (const page of http.pages(url, collectionSchema, { forbidden: forbiddenBy(permission), maxPages })) {
      const valid = validateEach(what, page.value, schema);
      listed.items.push(...valid.items);
      listed.skipped.push(...valid.skipped);
    }
    return listed;
  }

  async function assignLicense(change: LicenseChange): Promise<LicenseChangeResult> {
    const checked = licenseChangeSchema.safeParse(change);
    if (!checked.success) {
      throw new AppError(
        'bad_input',
        `Refused a license change: ${z.prettifyError(checked.error)}`,
        'A license change needs a user and at least one product (SKU id) to add or remove.',
      );
    }
    const { userId, add = [], remove = [] } = checked.data;
    const call: HttpCall = {
      method: 'POST',
      url: `${origin}/v1.0/users/${encodeURIComponent(userId)}/assignLicense`,
      body: { addLicenses: add.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: remove },
      forbidden: forbiddenBy('LicenseAssignment.ReadWrite.All'),
    };
    const correlationId = randomUUID();
    const outcome = await http.exchange(call, correlationId);
    if (outcome.kind === 'ok') {
      if (!assignedUserSchema.safeParse(outcome.body).success) {
        throw new AppError(
          'tenant_unavailable',
          `assignLicense for ${userId} answered something that is not a user (ref ${correlationId})`,
          http.unexpected(correlationId),
        );
      }
      return { ok: true };
    }
    if (outcome.kind === 'gave_up') {
      if (outcome.status === 429) return { ok: false, code: 'throttled', message: outcome.error.userMessage };
      throw outcome.error;
    }
    const { status, serviceError, error } = outcome;
    if (status === 401 || status === 403) return { ok: false, code: 'forbidden', message: error.userMessage };
    if (status >= 500) throw error;
    const message = serviceError.message || error.userMessage;
    if (status === 404) return { ok: false, code: 'not_found', message };
    const known = REFUSALS.find((refusal) => refusal.pattern.test(serviceError.message));
    return { ok: false, code: known?.code ?? 'other', message };
  }

  return {
    listSubscribedSkus: () => list('sku', `${origin}/v1.0/subscribedSkus`, skuSchema, 'Organization.Read.All', MAX_PAGES),
    listSubscriptions: () => list('subscription', `${origin}/v1.0/directory/subscriptions`, subscriptionSchema, 'Organization.Read.All', MAX_PAGES),
    listUsers: () => list('user', `${origin}/v1.0/users?$select=${USER_FIELDS.join(',')}&$top=${USERS_PAGE_SIZE}`, userSchema, 'User.Read.All', MAX_USER_PAGES),
    assignLicense,
  };
}
