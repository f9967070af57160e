/**
 * The tenant port: the one door to "where the truth lives". The `local` adapter treats the
 * database as the tenant; the `microsoft` adapter talks to the licensing endpoint and Graph.
 */
import type { PolicyValue } from '../domain/policy.js';

export interface TenantPolicy {
  /** ProductId (12 characters) or offer type (SaaS, POWERBIVISUALS, DYNAMICSCE, DYNAMICSBC). */
  id: string;
  kind: 'product' | 'offerType';
  name: string;
  value: PolicyValue;
}

export interface PolicyTenant {
  listPolicies(): Promise<TenantPolicy[]>;
  getPolicy(id: string, kind: TenantPolicy['kind']): Promise<TenantPolicy>;
  /** Returns what the tenant accepted; throws AppError when it refused. */
  setPolicy(id: string, kind: TenantPolicy['kind'], value: PolicyValue): Promise<TenantPolicy>;
}

/** The outcome of a change the tenant refused on its own terms (not an outage). */
export type TenantChange<T> = ({ ok: true } & T) | { ok: false; reason: string };

/** The take-over a change belongs to, where a tenant changes users one at a time (Microsoft 365). */
export interface TakeoverWork {
  /** The take-over request: each user's change is kept under it, so a resumed run skips who is done. */
  requestId?: string;
  /** Asked before each user's change (with the time): false when another run took the take-over over, so this one stops. */
  keepAlive?: (now: Date) => Promise<boolean>;
}

export interface MoveUsersInput extends TakeoverWork {
  fromSubscriptionId: string;
  toSubscriptionId: string;
  /** Slack user id of the admin who approved: recorded as who cancelled the old subscription. */
  actor: string;
  /** Kept as the old subscription's cancel reason, e.g. "Moved users to …". */
  cancelReason: string;
  now: Date;
}

export interface CancelSubscriptionInput extends TakeoverWork {
  subscriptionId: string;
  actor: string;
  reason: string;
  comment: string | null;
  now: Date;
}

/**
 * Where a take-over stands once the tenant did its part. Without either flag the take-over is
 * complete (the local tenant cancels the subscription itself).
 */
export interface TakeoverProgress {
  /**
   * The users' licenses are done, but no public API cancels a subscription (Microsoft 365): it
   * stays active until an admin cancels it in the admin center.
   */
  awaitingAdminCenter?: boolean;
  /** The users' licenses are only partly done (a failure that may pass): a later run resumes them. */
  incomplete?: boolean;
}

export interface AssignLicensesInput {
  /** Per central subscription, the people (Person ids) to give one of its licenses. */
  grants: Array<{ subscriptionId: string; userIds: string[] }>;
  actor: string;
  now: Date;
}

/**
 * Changes to subscriptions and license assignments. All or nothing: a move that lacks seats,
 * a subscription that is no longer active, moves nobody and returns the reason.
 */
export interface SubscriptionTenant {
  /**
   * True where a license belongs to a product (SKU) rather than to a subscription, as in
   * Microsoft 365: whoever holds a self-service license already holds the one a central
   * subscription of the same SKU would give, so there is nothing to assign.
   */
  readonly licensesPerProduct: boolean;
  /** Every assigned user of `from` gets a license of `to`; then `from` is cancelled. */
  moveUsers(input: MoveUsersInput): Promise<TenantChange<{ moved: number } & TakeoverProgress>>;
  /** The assigned users lose their licenses and the subscription is cancelled. */
  cancelSubscription(input: CancelSubscriptionInput): Promise<TenantChange<{ removed: number } & TakeoverProgress>>;
  assignLicenses(input: AssignLicensesInput): Promise<TenantChange<{ assigned: number }>>;
}

/**
 * What Microsoft 365 says the tenant holds, read from Microsoft Graph: products (SKUs) with
 * their seats, subscriptions, and the users with the licenses they hold. The sync depends on
 * this port only; the Microsoft adapter implements it (src/tenant/microsoft/directory.ts).
 */
export interface TenantSku {
  skuId: string;
  skuPartNumber: string;
  enabledUnits: number;
  consumedUnits: number;
  /** Commerce ids of the subscriptions whose seats this SKU pools. */
  subscriptionIds: string[];
}

export interface TenantSubscription {
  /** companySubscription.id */
  id: string;
  commerceSubscriptionId: string | null;
  skuId: string;
  skuPartNumber: string;
  status: 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
  totalLicenses: number;
  isTrial: boolean;
  createdAt: Date;
  nextLifecycleAt: Date | null;
  ownerId: string | null;
  ownerType: string | null;
}

export interface TenantUserLicense {
  skuId: string;
  /** Assigned to the user directly (it can be removed per user). */
  direct: boolean;
  /** Ids of the groups that also assign it (group-based licensing). */
  viaGroups: string[];
  state: string | null;
  error: string | null;
}

export interface TenantUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  accountEnabled: boolean | null;
  licenses: TenantUserLicense[];
}

/** Items Graph sent that failed validation: skipped, counted and reported, never fatal. */
export interface SkippedItem {
  what: 'sku' | 'subscription' | 'user';
  id?: string;
  reason: string;
}

export interface TenantDirectorySnapshot {
  skus: TenantSku[];
  subscriptions: TenantSubscription[];
  users: TenantUser[];
  skipped: SkippedItem[];
}

export interface TenantDirectory {
  /** Everything a sync needs, read whole (every page); throws AppError on failure. */
  readSnapshot(): Promise<TenantDirectorySnapshot>;
}

export interface LicenseChange {
  /** Graph user id */
  userId: string;
  /** skuIds */
  add?: string[];
  /** skuIds */
  remove?: string[];
}

export type LicenseChangeResult =
  | { ok: true }
  | {
      ok: false;
      code: 'no_licenses' | 'usage_location' | 'group_assigned' | 'not_found' | 'forbidden' | 'throttled' | 'other';
      message: string;
    };

export interface TenantLicenses {
  /** One POST /users/{id}/assignLicense, retried on 429/5xx within MS_MAX_RETRIES; a refusal is a result, not a throw. */
  changeLicenses(change: LicenseChange): Promise<LicenseChangeResult>;
  /** Fresh seat counts of one SKU (GET /subscribedSkus, filtered), for the move check at approval. */
  seats(skuId: string): Promise<{ enabledUnits: number; consumedUnits: number } | undefined>;
}
