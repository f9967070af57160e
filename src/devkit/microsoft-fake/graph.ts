/**
 * The Microsoft Graph v1.0 part of the fake: subscribedSkus, directory/subscriptions, users
 * (with $select, $top and a $skiptoken nextLink) and users/{id}/assignLicense, over a mutable
 * tenant with real seat accounting. Shapes follow Graph's reference pages:
 * subscribedSku, companySubscription, user, assignedLicense, licenseAssignmentState
 * (https://learn.microsoft.com/en-us/graph/api/resources/<name>), and the refusals of
 * https://learn.microsoft.com/en-us/graph/api/user-assignlicense in Graph's own words.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeSku {
  skuId: string;
  skuPartNumber: string;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  /** Commerce ids of the subscriptions that pool their seats in this SKU. */
  subscriptionIds: string[];
  capabilityStatus?: string;
  appliesTo?: string;
}

export interface FakeCompanySubscription {
  id: string;
  commerceSubscriptionId: string;
  skuId: string;
  skuPartNumber: string;
  status: 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
  totalLicenses: number;
  isTrial: boolean;
  createdDateTime: string;
  nextLifecycleDateTime: string | null;
  ownerId: string | null;
  ownerTenantId: string | null;
  ownerType: string | null;
}

export interface FakeLicenseState {
  skuId: string;
  /** null: assigned to the user directly; else the id of the group that assigns it. */
  assignedByGroup: string | null;
  state: 'Active' | 'ActiveWithError' | 'Disabled' | 'Error';
  error: string | null;
  disabledPlans: string[];
  lastUpdatedDateTime: string;
}

export interface FakeUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  accountEnabled: boolean;
  /** Two-letter country code; without one Graph refuses to assign a license. */
  usageLocation: string | null;
  assignedLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  licenseAssignmentStates: FakeLicenseState[];
}

export interface FakeGraphTenant {
  skus: FakeSku[];
  subscriptions: FakeCompanySubscription[];
  users: FakeUser[];
}

/** A scripted answer that replaces the service's own. */
export interface FakeFailure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): FakeFailure => ({
  status,
  ...(headers ? { headers } : {}),
  body: JSON.stringify({ error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': 'fake', 'client-request-id': 'fake' } } }),
});

/** Graph's failures, as its error responses look (https://learn.microsoft.com/en-us/graph/errors). */
export const graphFailures = {
  throttled: (retryAfter?: string) =>
    graphError(429, 'TooManyRequests', 'Too many requests.', retryAfter === undefined ? undefined : { 'Retry-After': retryAfter }),
  unavailable: (retryAfter?: string) =>
    graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', retryAfter === undefined ? undefined : { 'Retry-After': retryAfter }),
  gatewayTimeout: () => graphError(504, 'gatewayTimeout', 'The gateway timed out.'),
  serverError: () => graphError(500, 'generalException', 'An unspecified error has occurred.'),
  forbidden: () => graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  notJson: (): FakeFailure => ({ status: 200, body: '{"value": [{"id": "truncated' }),
  /** A 200 whose body is not a Graph collection at all. */
  notACollection: (): FakeFailure => ({ status: 200, body: JSON.stringify({ items: [] }) }),
  /** A 200 page with the given items, e.g. one that lacks a required field. */
  page: (value: unknown[], nextLink?: string): FakeFailure => ({
    status: 200,
    body: JSON.stringify({ value, ...(nextLink === undefined ? {} : { '@odata.nextLink': nextLink }) }),
  }),
};

/** Builders for the tenant's pieces, with Graph's defaults. */
export const graphTenant = {
  sku: (skuId: string, skuPartNumber: string, enabled: number, subscriptionIds: string[] = []): FakeSku => ({
    skuId,
    skuPartNumber,
    prepaidUnits: { enabled, suspended: 0, warning: 0, lockedOut: 0 },
    subscriptionIds,
    capabilityStatus: 'Enabled',
    appliesTo: 'User',
  }),
  direct: (skuId: string, at = '2025-01-01T00:00:00Z'): FakeLicenseState => ({
    skuId,
    assignedByGroup: null,
    state: 'Active',
    error: null,
    disabledPlans: [],
    lastUpdatedDateTime: at,
  }),
  viaGroup: (skuId: string, groupId: string, at = '2025-01-01T00:00:00Z'): FakeLicenseState => ({
    skuId,
    assignedByGroup: groupId,
    state: 'Active',
    error: null,
    disabledPlans: [],
    lastUpdatedDateTime: at,
  }),
  /** A user holding each license its states name (directly or by a group). */
  user: (id: string, displayName: string, upn: string, states: FakeLicenseState[] = [], extra: Partial<FakeUser> = {}): FakeUser => ({
    id,
    displayName,
    mail: upn,
    userPrincipalName: upn,
    accountEnabled: true,
    usageLocation: 'US',
    assignedLicenses: [...new Set(states.map((state) => state.skuId))].map((skuId) => ({ skuId, disabledPlans: [] })),
    licenseAssignmentStates: states,
    ...extra,
  }),
};

export interface FakeGraph {
  skus: Map<string, FakeSku>;
  subscriptions: Map<string, FakeCompanySubscription>;
  users: Map<string, FakeUser>;
  /** Seats of a SKU in use: the users whose assignedLicenses hold it. */
  consumedUnits(skuId: string): number;
  /** Page size of users and subscriptions (at most what `$top` asks). */
  pageSize: number;
  /** The next `method` requests to `path` (no query, e.g. /v1.0/users) get these answers, in order. */
  failNext(method: string, path: string, ...failures: FakeFailure[]): void;
  /** Every `method` request to `path` gets `failure` until called again without one. */
  failAlways(method: string, path: string, failure?: FakeFailure): void;
}

const DEFAULT_USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName'];

function skiptoken(offset: number): string {
  return Buffer.from(`RFNwdAIAAQAAAB${offset}`).toString('base64url');
}

function offsetOf(token: string | null): number {
  if (!token) return 0;
  const match = /RFNwdAIAAQAAAB(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8', ...headers });
  response.end(text);
}

function fail(response: ServerResponse, failure: FakeFailure): void {
  send(response, failure.status, failure.body ?? '', failure.headers);
}

export function createFakeGraph(initial: FakeGraphTenant, options: { pageSize: number; baseUrl: () => string; now: () => Date }) {
  const queued = new Map<string, FakeFailure[]>();
  const always = new Map<string, FakeFailure>();

  const graph: FakeGraph = {
    skus: new Map(initial.skus.map((sku) => [sku.skuId, structuredClone(sku)])),
    subscriptions: new Map(initial.subscriptions.map((subscription) => [subscription.id, structuredClone(subscription)])),
    users: new Map(initial.users.map((user) => [user.id, structuredClone(user)])),
    pageSize: options.pageSize,
    consumedUnits(skuId) {
      return [...graph.users.values()].filter((user) => user.assignedLicenses.some((license) => license.skuId === skuId)).length;
    },
    failNext(method, path, ...failures) {
      const key = `${method} ${path}`;
      queued.set(key, [...(queued.get(key) ?? []), ...failures]);
    },
    failAlways(method, path, failure) {
      if (failure) always.set(`${method} ${path}`, failure);
      else always.delete(`${method} ${path}`);
    },
  };

  function scripted(method: string, path: string): FakeFailure | undefined {
    const key = `${method} ${path}`;
    return always.get(key) ?? queued.get(key)?.shift();
  }

  function skuItem(sku: FakeSku) {
    return {
      // Graph's subscribedSku id is "<tenant id>_<skuId>".
      id: `00000000-0000-0000-0000-000000000000_${sku.skuId}`,
      capabilityStatus: sku.capabilityStatus ?? 'Enabled',
      appliesTo: sku.appliesTo ?? 'User',
      consumedUnits: graph.consumedUnits(sku.skuId),
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      subscriptionIds: sku.subscriptionIds,
      prepaidUnits: sku.prepaidUnits,
      servicePlans: [],
    };
  }

  function subscriptionItem(subscription: FakeCompanySubscription) {
    return { ...subscription, serviceStatus: [] };
  }

  function userItem(user: FakeUser, select: string[]) {
    const full: Record<string, unknown> = { ...user };
    return Object.fromEntries(['id', ...select.filter((field) => field !== 'id')].filter((field) => field in full).map((field) => [field, full[field]]));
  }

  /** One page of a collection, with a nextLink that keeps the query and moves the skiptoken. */
  function page<T>(url: URL, all: T[], collection: string) {
    const top = Number(url.searchParams.get('$top') ?? graph.pageSize);
    const size = Math.max(1, Math.min(graph.pageSize, Number.isFinite(top) && top > 0 ? top : graph.pageSize));
    const offset = offsetOf(url.searchParams.get('$skiptoken'));
    const next = new URL(url.toString().replace(url.origin, options.baseUrl()));
    next.searchParams.set('$skiptoken', skiptoken(offset + size));
    return {
      '@odata.context': `${options.baseUrl()}/v1.0/$metadata#${collection}`,
      value: all.slice(offset, offset + size),
      ...(offset + size < all.length ? { '@odata.nextLink': decodeURIComponent(next.toString()) } : {}),
    };
  }

  function assignLicense(response: ServerResponse, userId: string, body: string): void {
    const user = graph.users.get(userId);
    if (!user) {
      return fail(
        response,
        graphError(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`),
      );
    }
    let request: { addLicenses?: Array<{ skuId?: string }>; removeLicenses?: string[] };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return fail(
        response,
        graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
      );
    }
    if (!Array.isArray(request.addLicenses) || !Array.isArray(request.removeLicenses)) {
      return fail(
        response,
        graphError(400, 'Request_BadRequest', "One or more parameters of the function import 'assignLicense' are missing from the request payload."),
      );
    }
    const add = request.addLicenses.map((license) => String(license.skuId ?? ''));
    const remove = request.removeLicenses.map(String);
    const holds = (skuId: string) => user.assignedLicenses.some((license) => license.skuId === skuId);
    const refuse = (message: string) => fail(response, graphError(400, 'Request_BadRequest', message));

    for (const skuId of add) {
      if (!graph.skus.has(skuId)) return refuse(`License ${skuId} does not correspond to a valid company License.`);
      if (!user.usageLocation) return refuse('License assignment cannot be done for user with invalid usage location.');
      const sku = graph.skus.get(skuId);
      if (!holds(skuId) && sku && graph.consumedUnits(skuId) >= sku.prepaidUnits.enabled) {
        return refuse(`Subscription with SKU ${skuId} does not have any available licenses.`);
      }
    }
    for (const skuId of remove) {
      const states = user.licenseAssignmentStates.filter((state) => state.skuId === skuId);
      if (!holds(skuId)) return refuse('User does not have a corresponding license.');
      if (states.length > 0 && states.every((state) => state.assignedByGroup !== null)) {
        return refuse('User license is inherited from a group membership and it cannot be removed directly from the user.');
      }
    }

    const now = options.now().toISOString();
    for (const skuId of remove) {
      user.licenseAssignmentStates = user.licenseAssignmentStates.filter((state) => state.skuId !== skuId || state.assignedByGroup !== null);
      if (!user.licenseAssignmentStates.some((state) => state.skuId === skuId)) {
        user.assignedLicenses = user.assignedLicenses.filter((license) => license.skuId !== skuId);
      }
    }
    for (const skuId of add) {
      if (!holds(skuId)) user.assignedLicenses.push({ skuId, disabledPlans: [] });
      if (!user.licenseAssignmentStates.some((state) => state.skuId === skuId && state.assignedByGroup === null)) {
        user.licenseAssignmentStates.push(graphTenant.direct(skuId, now));
      }
    }
    send(response, 200, { '@odata.context': `${options.baseUrl()}/v1.0/$metadata#users/$entity`, ...userItem(user, Object.keys(user)) });
  }

  /** Answers a Graph request whose token was already checked. */
  function handle(request: IncomingMessage, response: ServerResponse, url: URL, body: string): void {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const failure = scripted(method, path);
    if (failure) return fail(response, failure);

    if (method === 'GET' && path === '/v1.0/subscribedSkus') {
      return send(response, 200, {
        '@odata.context': `${options.baseUrl()}/v1.0/$metadata#subscribedSkus`,
        value: [...graph.skus.values()].map(skuItem),
      });
    }
    if (method === 'GET' && path === '/v1.0/directory/subscriptions') {
      return send(response, 200, page(url, [...graph.subscriptions.values()].map(subscriptionItem), 'directory/subscriptions'));
    }
    if (method === 'GET' && path === '/v1.0/users') {
      const select =
        url.searchParams
          .get('$select')
          ?.split(',')
          .map((field) => field.trim()) ?? DEFAULT_USER_FIELDS;
      return send(
        response,
        200,
        page(
          url,
          [...graph.users.values()].map((user) => userItem(user, select)),
          `users(${select.join(',')})`,
        ),
      );
    }
    const assign = /^\/v1\.0\/users\/([^/]+)\/assignLicense$/.exec(path);
    if (method === 'POST' && assign) return assignLicense(response, decodeURIComponent(assign[1] ?? ''), body);
    fail(response, graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`));
  }

  return { graph, handle };
}
