/**
 * An in-process fake of the Microsoft endpoints the `microsoft` tenant adapter talks to: the
 * Entra ID token authority (OpenID configuration + client-credentials token endpoint), the
 * licensing endpoint of the AllowSelfServicePurchase policy with a mutable policy table, and
 * Microsoft Graph v1.0 (graph.ts) with a mutable tenant. Each token remembers the scope it was
 * issued for: the licensing endpoint takes only licensing tokens, Graph only Graph tokens.
 *
 * It speaks https by default, with the certificate of src/devkit/microsoft-fake/tls (127.0.0.1), because
 * @azure/identity refuses a plain-http authority; vitest must start its workers with
 * NODE_EXTRA_CA_CERTS=src/devkit/microsoft-fake/tls/ca.pem. Tests that never sign in can use http.
 */
import { constants, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LICENSING_SCOPE } from '../../tenant/microsoft/token.js';
import { createFakeGraph, type FakeFailure, type FakeGraph, type FakeGraphTenant } from './graph.js';

export { DEMO_GROUP_ID, DEMO_USERS, demoGraphTenant } from './demo.js';
export { graphFailures, graphTenant } from './graph.js';
export type { FakeCompanySubscription, FakeFailure, FakeGraph, FakeGraphTenant, FakeLicenseState, FakeSku, FakeUser } from './graph.js';

const TLS_DIR = fileURLToPath(new URL('./tls/', import.meta.url));
export const TEST_CA_PATH = `${TLS_DIR}ca.pem`;
/** Certificate + private key of the fake app registration (MS_CLIENT_CERTIFICATE_PATH). */
export const TEST_CLIENT_CERTIFICATE_PATH = `${TLS_DIR}client.pem`;

export const FAKE_TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const FAKE_CLIENT_ID = '66666666-7777-8888-9999-000000000000';
export const FAKE_CLIENT_SECRET = 'fake-client-secret-value';

const POLICY_PREFIX = '/v1.0/policies/AllowSelfServicePurchase';
const VALUES = ['Enabled', 'OnlyTrialsWithoutPaymentMethod', 'Disabled'];

export interface FakeProduct {
  productId: string;
  productName: string;
  policyValue: string;
}

export const failures = {
  throttled: (retryAfter?: string): FakeFailure => ({
    status: 429,
    ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
    body: JSON.stringify({ error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.' } }),
  }),
  unavailable: (retryAfter?: string): FakeFailure => ({
    status: 503,
    ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
    body: JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The service is unavailable.' } }),
  }),
  serverError: (): FakeFailure => ({
    status: 500,
    body: JSON.stringify({ error: { code: 'InternalServerError', message: 'Something went wrong.' } }),
  }),
  forbidden: (): FakeFailure => ({
    status: 403,
    body: JSON.stringify({ error: { code: 'Forbidden', message: 'The caller does not have the required permission.' } }),
  }),
  malformed: (): FakeFailure => ({ status: 200, body: JSON.stringify({ items: [{ productId: 42 }] }) }),
  notJson: (): FakeFailure => ({ status: 200, body: '<html>Sign in to continue</html>' }),
};

export const DEFAULT_PRODUCTS: FakeProduct[] = [
  { productId: 'CFQ7TTC0H9MP', productName: 'Power BI Pro', policyValue: 'Enabled' },
  { productId: 'CFQ7TTC0LH2H', productName: 'Power Apps per user', policyValue: 'Enabled' },
  { productId: 'CFQ7TTC0HD33', productName: 'Visio Plan 1', policyValue: 'OnlyTrialsWithoutPaymentMethod' },
  { productId: 'CFQ7TTC0MM8R', productName: 'Microsoft 365 Copilot', policyValue: 'Disabled' },
];

export const DEFAULT_OFFER_TYPES: Record<string, string> = {
  SaaS: 'Enabled',
  POWERBIVISUALS: 'Enabled',
  DYNAMICSCE: 'Disabled',
  DYNAMICSBC: 'Enabled',
};

export interface RecordedRequest {
  service: 'licensing' | 'graph';
  method: string;
  path: string;
  correlationId: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

export interface FakeMicrosoftOptions {
  protocol?: 'https' | 'http';
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM whose certificate verifies client assertions (ClientCertificateCredential). */
  clientCertificatePath?: string;
  /** Tokens accepted by every endpoint besides those the fake issued (for tests with a static credential). */
  acceptTokens?: string[];
  /** Above 300 s, or the library treats the token as already expired. */
  tokenLifetimeSeconds?: number;
  products?: FakeProduct[];
  offerTypes?: Record<string, string>;
  /** Page size of the product listing; more products are served with @odata.nextLink. */
  pageSize?: number;
  /** The tenant Graph serves (empty by default; `demoGraphTenant` is a small realistic one). */
  graph?: FakeGraphTenant;
  /** Page size of Graph's users and subscriptions (Graph's default is 100). */
  graphPageSize?: number;
  /** Graph's clock, for the times it writes (license states). */
  now?: () => Date;
}

export interface FakeMicrosoft {
  /** The authority host (MS_LOGIN_URL), the licensing base URL (MS_LICENSING_URL) and Graph (MS_GRAPH_URL). */
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  products: Map<string, FakeProduct>;
  offerTypes: Map<string, string>;
  tokensIssued: string[];
  /** The scope each issued token was asked for. */
  tokenScopes: Map<string, string>;
  counts: { openidConfiguration: number; tokenRequests: number; licensingRequests: number; graphRequests: number };
  /** Every licensing and Graph request, in order. */
  requests: RecordedRequest[];
  graph: FakeGraph;
  /** The next `count` licensing requests get `failure` instead of their answer. */
  failNext(count: number, failure: FakeFailure): void;
  /** Every `method` request to `path` (e.g. /v1.0/policies/.../products/CFQ7TTC0H9MP) gets `failure` until cleared. */
  failRequests(method: string, path: string, failure: FakeFailure | undefined): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Checks a client assertion the way Entra ID would: signature, audience, issuer and subject. */
function assertionProblem(assertion: string, publicKey: KeyObject | undefined, clientId: string, tokenEndpoint: string): string | undefined {
  if (!publicKey) return 'no certificate registered';
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return 'not a JWT';
  const { alg } = JSON.parse(base64url(header).toString('utf8')) as { alg?: string };
  const claims = JSON.parse(base64url(payload).toString('utf8')) as { aud?: string; iss?: string; sub?: string; exp?: number };
  const signed = Buffer.from(`${header}.${payload}`);
  const key = alg === 'PS256' ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : alg === 'RS256' ? publicKey : undefined;
  if (!key) return `unsupported alg ${alg}`;
  if (!verify('sha256', signed, key, base64url(signature))) return 'bad signature';
  if (claims.aud !== tokenEndpoint) return `aud ${claims.aud} is not ${tokenEndpoint}`;
  if (claims.iss !== clientId || claims.sub !== clientId) return 'iss/sub is not the client id';
  if (!claims.exp || claims.exp * 1000 < Date.now()) return 'expired';
  return undefined;
}

/** Node reads NODE_EXTRA_CA_CERTS once, at start: fail with the fix rather than with a TLS error. */
function assertTestCaTrusted(): void {
  const testCa = readFileSync(TEST_CA_PATH, 'utf8').trim();
  const configured = process.env.NODE_EXTRA_CA_CERTS;
  let trusted = '';
  try {
    trusted = configured ? readFileSync(configured, 'utf8') : '';
  } catch {
    // An unreadable file trusts nothing.
  }
  if (!trusted.includes(testCa)) {
    throw new Error(
      `The fake Microsoft endpoints speak https with a test CA, but NODE_EXTRA_CA_CERTS is ${configured ?? 'not set'}. ` +
        'Start the test workers with NODE_EXTRA_CA_CERTS=src/devkit/microsoft-fake/tls/ca.pem (vitest.config.ts: test.env); ' +
        'setting it inside a running test is too late.',
    );
  }
}

export async function startFakeMicrosoft(options: FakeMicrosoftOptions = {}): Promise<FakeMicrosoft> {
  const protocol = options.protocol ?? 'https';
  if (protocol === 'https') assertTestCaTrusted();
  const tenantId = options.tenantId ?? FAKE_TENANT_ID;
  const clientId = options.clientId ?? FAKE_CLIENT_ID;
  const clientSecret = options.clientSecret ?? FAKE_CLIENT_SECRET;
  const publicKey = options.clientCertificatePath ? createPublicKey(readFileSync(options.clientCertificatePath)) : undefined;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const pageSize = options.pageSize ?? 100;
  const accepted = new Set(options.acceptTokens ?? []);
  const scripted: FakeFailure[] = [];
  const failingPaths = new Map<string, FakeFailure>();
  let baseUrl = '';
  const fakeGraph = createFakeGraph(options.graph ?? { skus: [], subscriptions: [], users: [] }, {
    pageSize: options.graphPageSize ?? 100,
    baseUrl: () => baseUrl,
    now: options.now ?? (() => new Date()),
  });

  const fake: Omit<FakeMicrosoft, 'url' | 'close'> = {
    tenantId,
    clientId,
    clientSecret,
    products: new Map((options.products ?? DEFAULT_PRODUCTS).map((product) => [product.productId, { ...product }])),
    offerTypes: new Map(Object.entries(options.offerTypes ?? DEFAULT_OFFER_TYPES)),
    tokensIssued: [],
    tokenScopes: new Map(),
    counts: { openidConfiguration: 0, tokenRequests: 0, licensingRequests: 0, graphRequests: 0 },
    requests: [],
    graph: fakeGraph.graph,
    failRequests(method, path, failure) {
      if (failure) failingPaths.set(`${method} ${path}`, failure);
      else failingPaths.delete(`${method} ${path}`);
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) scripted.push(failure);
    },
  };

  function openidConfiguration(response: ServerResponse): void {
    fake.counts.openidConfiguration++;
    const authority = `${baseUrl}/${tenantId}`;
    send(response, 200, {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      issuer: `${baseUrl}/${tenantId}/v2.0`,
      jwks_uri: `${baseUrl}/${tenantId}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      tenant_region_scope: 'EU',
    });
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    fake.counts.tokenRequests++;
    const form = new URLSearchParams(await readBody(request));
    const invalid = (error: string, description: string, status = 401) =>
      send(response, status, { error, error_description: description, error_codes: [7000215], trace_id: 'fake', correlation_id: 'fake' });
    if (form.get('grant_type') !== 'client_credentials') return invalid('unsupported_grant_type', 'AADSTS70003: grant_type not supported.', 400);
    if (form.get('client_id') !== clientId) return invalid('unauthorized_client', `AADSTS700016: Application ${form.get('client_id')} not found.`, 400);
    if (!form.get('scope')?.endsWith('/.default')) return invalid('invalid_scope', 'AADSTS1002012: scope must end with /.default.', 400);
    const assertion = form.get('client_assertion');
    if (assertion !== null) {
      const problem = assertionProblem(assertion, publicKey, clientId, `${baseUrl}/${tenantId}/oauth2/v2.0/token`);
      if (problem) return invalid('invalid_client', `AADSTS700027: Client assertion failed: ${problem}.`);
    } else if (form.get('client_secret') !== clientSecret) {
      return invalid('invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    const accessToken = `fake-access-token-${fake.tokensIssued.length + 1}-${randomBytes(12).toString('hex')}`;
    fake.tokensIssued.push(accessToken);
    fake.tokenScopes.set(accessToken, form.get('scope') ?? '');
    send(response, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  function offerTypeItem(type: string, value: string) {
    return { policyId: 'AllowSelfServicePurchase', scope: 'OfferType', scopeId: type, scopeValue: value };
  }

  function productItem(product: FakeProduct) {
    return { policyId: 'AllowSelfServicePurchase', ...product };
  }

  /** Records the request and checks its token was issued for `scopes`; false when refused (401 sent). */
  function admitted(
    service: RecordedRequest['service'],
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: string,
    scopes: string[],
  ): boolean {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    fake.requests.push({
      service,
      method: request.method ?? '',
      path: `${url.pathname}${url.search}`,
      correlationId: header('x-ms-correlation-id') ?? header('client-request-id'),
      authorization: header('authorization'),
      contentType: header('content-type'),
      body,
    });
    const bearer = /^Bearer (.+)$/.exec(header('authorization') ?? '')?.[1];
    if (bearer && accepted.has(bearer)) return true;
    const scope = bearer === undefined ? undefined : fake.tokenScopes.get(bearer);
    if (scope === undefined) {
      send(response, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Authentication failed.' } });
      return false;
    }
    if (!scope.split(' ').some((asked) => scopes.includes(asked))) {
      send(response, 401, {
        error: { code: 'InvalidAuthenticationToken', message: `Access token validation failure. Invalid audience: the token was issued for ${scope}.` },
      });
      return false;
    }
    return true;
  }

  async function licensing(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    fake.counts.licensingRequests++;
    const body = await readBody(request);
    if (!admitted('licensing', request, response, url, body, [LICENSING_SCOPE])) return;
    const failure = failingPaths.get(`${request.method} ${url.pathname}`) ?? scripted.shift();
    if (failure) return send(response, failure.status, failure.body ?? '', failure.headers);

    const rest = url.pathname.slice(POLICY_PREFIX.length);
    if (request.method === 'GET' && rest === '/products') {
      const scope = url.searchParams.get('scope')?.toLowerCase();
      if (scope === 'offertype') {
        return send(response, 200, { items: [...fake.offerTypes].map(([type, value]) => offerTypeItem(type, value)) });
      }
      const all = [...fake.products.values()];
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + pageSize);
      const next = skip + pageSize < all.length ? `${baseUrl}${POLICY_PREFIX}/products?scope=product&$skiptoken=${skip + pageSize}` : undefined;
      return send(response, 200, { items: page.map(productItem), ...(next ? { '@odata.nextLink': next } : {}) });
    }
    const product = /^\/products\/([^/]+)$/.exec(rest);
    const offerType = /^\/offerTypes\/([^/]+)$/.exec(rest);
    const id = decodeURIComponent((product ?? offerType)?.[1] ?? '');
    if (!product && !offerType) return send(response, 404, { error: { code: 'NotFound', message: 'No such resource.' } });

    let newValue: string | undefined;
    if (request.method === 'PUT') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(response, 400, { error: { code: 'BadRequest', message: 'The request body is not valid JSON.' } });
      }
      newValue = (parsed as { policyValue?: unknown }).policyValue as string | undefined;
      const allowed = offerType ? ['Enabled', 'Disabled'] : VALUES;
      if (!newValue || !allowed.includes(newValue)) {
        return send(response, 400, {
          error: { code: 'InvalidPolicyValue', message: `Policy value '${String(newValue)}' is not valid. Valid values: ${allowed.join(', ')}.` },
        });
      }
    } else if (request.method !== 'GET') {
      return send(response, 405, { error: { code: 'MethodNotAllowed', message: 'Method not allowed.' } });
    }

    if (product) {
      const found = fake.products.get(id);
      if (!found) return send(response, 404, { error: { code: 'ProductNotFound', message: `Product ${id} was not found.` } });
      if (newValue) found.policyValue = newValue;
      return send(response, 200, productItem(found));
    }
    const type = [...fake.offerTypes.keys()].find((key) => key.toLowerCase() === id.toLowerCase());
    if (!type) return send(response, 404, { error: { code: 'OfferTypeNotFound', message: `Offer type ${id} was not found.` } });
    if (newValue) fake.offerTypes.set(type, newValue);
    return send(response, 200, offerTypeItem(type, fake.offerTypes.get(type) ?? ''));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const path = url.pathname;
    if (
      request.method === 'GET' &&
      (path === `/${tenantId}/v2.0/.well-known/openid-configuration` || path === `/${tenantId}/.well-known/openid-configuration`)
    ) {
      return openidConfiguration(response);
    }
    if (request.method === 'POST' && path === `/${tenantId}/oauth2/v2.0/token`) return token(request, response);
    if (path === '/v1.0/policies' && request.method === 'GET') {
      return send(response, 200, { items: [{ id: 'AllowSelfServicePurchase', description: 'Allow self-service purchase', defaultValue: 'Enabled' }] });
    }
    if (path.startsWith(POLICY_PREFIX)) return licensing(request, response, url);
    if (path.startsWith('/v1.0/')) {
      fake.counts.graphRequests++;
      const body = await readBody(request);
      if (!admitted('graph', request, response, url, body, [`${baseUrl}/.default`, 'https://graph.microsoft.com/.default'])) return;
      return fakeGraph.handle(request, response, url, body);
    }
    send(response, 404, { error: { code: 'NotFound', message: `No fake route for ${request.method} ${path}` } });
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: { code: 'FakeFailed', message: String(error) } }));
  };
  const server =
    protocol === 'https'
      ? https.createServer({ cert: readFileSync(`${TLS_DIR}server.pem`), key: readFileSync(`${TLS_DIR}server-key.pem`) }, listener)
      : http.createServer(listener);
  // Idle keep-alive connections stay open until the client closes them (no reset of a connection
  // the client is reusing), and close() ends them.
  server.keepAliveTimeout = 0;
  // closeAllConnections() knows only the connections that reached HTTP: a client's socket still
  // in its TLS handshake would hold close() until the client gives up (about 3 s).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `${protocol}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    ...fake,
    url: baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
