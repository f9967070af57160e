import type { TokenCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLicensingClient, parseRetryAfter, type LicensingClientOptions, type LicensingLogEntry } from '../../../src/tenant/microsoft/licensing-client.js';
import { LICENSING_SCOPE } from '../../../src/tenant/microsoft/token.js';
import { failures, startFakeMicrosoft, type FakeMicrosoft } from '../../../src/devkit/microsoft-fake/index.js';
import { appErrorOf } from '../../support/app-error.js';

const TOKEN = 'static-test-token-5f1c9a';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function staticCredential(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope) {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' };
    },
  };
}

describe('the licensing client', () => {
  let fake: FakeMicrosoft;
  let sleeps: number[];
  let logs: LicensingLogEntry[];
  let credential: ReturnType<typeof staticCredential>;

  function client(overrides: Partial<LicensingClientOptions> = {}) {
    return createLicensingClient({
      baseUrl: fake.url,
      credential,
      timeoutMs: 5000,
      maxRetries: 4,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      log: (entry) => logs.push(entry),
      ...overrides,
    });
  }

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ protocol: 'http', acceptTokens: [TOKEN], pageSize: 3 });
    sleeps = [];
    logs = [];
    credential = staticCredential();
  });

  afterEach(async () => {
    await fake?.close();
  });

  it('lists every product with its policy value, following @odata.nextLink', async () => {
    const products = await client().listProducts();

    expect(products).toEqual([
      { policyId: 'AllowSelfServicePurchase', productId: 'CFQ7TTC0H9MP', productName: 'Power BI Pro', policyValue: 'Enabled' },
      { policyId: 'AllowSelfServicePurchase', productId: 'CFQ7TTC0LH2H', productName: 'Power Apps per user', policyValue: 'Enabled' },
      {
        policyId: 'AllowSelfServicePurchase',
        productId: 'CFQ7TTC0HD33',
        productName: 'Visio Plan 1',
        policyValue: 'OnlyTrialsWithoutPaymentMethod',
      },
      { policyId: 'AllowSelfServicePurchase', productId: 'CFQ7TTC0MM8R', productName: 'Microsoft 365 Copilot', policyValue: 'Disabled' },
    ]);
    expect(fake.requests.map((request) => request.path)).toEqual([
      '/v1.0/policies/AllowSelfServicePurchase/products?scope=product',
      '/v1.0/policies/AllowSelfServicePurchase/products?scope=product&$skiptoken=3',
    ]);
    expect(credential.scopes).toContain(LICENSING_SCOPE);
  });

  it('reads one product', async () => {
    const product = await client().getProduct('CFQ7TTC0HD33');

    expect(product).toMatchObject({ productId: 'CFQ7TTC0HD33', productName: 'Visio Plan 1', policyValue: 'OnlyTrialsWithoutPaymentMethod' });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1.0/policies/AllowSelfServicePurchase/products/CFQ7TTC0HD33' });
  });

  it('changes a product with a JSON PUT of its policyValue and returns what the service answered', async () => {
    const product = await client().putProduct('CFQ7TTC0H9MP', 'Disabled');

    expect(product).toMatchObject({ productId: 'CFQ7TTC0H9MP', policyValue: 'Disabled' });
    expect(fake.products.get('CFQ7TTC0H9MP')?.policyValue).toBe('Disabled');
    expect(fake.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/v1.0/policies/AllowSelfServicePurchase/products/CFQ7TTC0H9MP',
      contentType: 'application/json',
      body: '{"policyValue":"Disabled"}',
    });
  });

  it('says not_found for a product the service does not know', async () => {
    const error = await appErrorOf(client().getProduct('CFQ7TTC0XXXX'));

    expect(error.code).toBe('not_found');
    expect(error.userMessage).toContain('CFQ7TTC0XXXX');
  });

  it('lists, reads and changes the offer types', async () => {
    const api = client();

    expect(await api.listOfferTypes()).toEqual([
      { policyId: 'AllowSelfServicePurchase', offerType: 'SaaS', policyValue: 'Enabled' },
      { policyId: 'AllowSelfServicePurchase', offerType: 'POWERBIVISUALS', policyValue: 'Enabled' },
      { policyId: 'AllowSelfServicePurchase', offerType: 'DYNAMICSCE', policyValue: 'Disabled' },
      { policyId: 'AllowSelfServicePurchase', offerType: 'DYNAMICSBC', policyValue: 'Enabled' },
    ]);
    expect(await api.putOfferType('SaaS', 'Disabled')).toMatchObject({ offerType: 'SaaS', policyValue: 'Disabled' });
    expect(await api.getOfferType('SaaS')).toMatchObject({ offerType: 'SaaS', policyValue: 'Disabled' });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1.0/policies/AllowSelfServicePurchase/products?scope=OfferType',
      'PUT /v1.0/policies/AllowSelfServicePurchase/offerTypes/SaaS',
      'GET /v1.0/policies/AllowSelfServicePurchase/offerTypes/SaaS',
    ]);
  });

  it('reads an offer type whose item names the type in scopeValue and the value in policyValue', async () => {
    fake.failNext(1, {
      status: 200,
      body: JSON.stringify({ policyId: 'AllowSelfServicePurchase', scope: 'OfferType', scopeId: '4', scopeValue: 'powerbivisuals', policyValue: 'Disabled' }),
    });

    expect(await client().getOfferType('POWERBIVISUALS')).toEqual({
      policyId: 'AllowSelfServicePurchase',
      offerType: 'POWERBIVISUALS',
      policyValue: 'Disabled',
    });
  });

  it("carries the service's reason when it rejects a change", async () => {
    const error = await appErrorOf(client().putOfferType('SaaS', 'OnlyTrialsWithoutPaymentMethod'));

    expect(error.code).toBe('tenant_rejected');
    expect(error.userMessage).toContain("Policy value 'OnlyTrialsWithoutPaymentMethod' is not valid. Valid values: Enabled, Disabled.");
  });

  it('retries a 429 storm after the Retry-After seconds and then succeeds', async () => {
    fake.failNext(3, failures.throttled('3'));

    const products = await client().listProducts();

    expect(products).toHaveLength(4);
    expect(sleeps).toEqual([3000, 3000, 3000]);
    expect(fake.counts.licensingRequests).toBe(5);
    expect(logs.filter((entry) => entry.event === 'licensing.retry').map((entry) => entry.status)).toEqual([429, 429, 429]);
  });

  it('gives up on a 429 storm after maxRetries with a clear message', async () => {
    fake.failNext(50, failures.throttled('2'));

    const error = await appErrorOf(client().getProduct('CFQ7TTC0H9MP'));

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toMatch(
      /^Microsoft is throttling the bot's requests to the licensing service; the bot gave up after 5 tries\. Try again in 2 s\./,
    );
    expect(fake.counts.licensingRequests).toBe(5);
    expect(sleeps).toEqual([2000, 2000, 2000, 2000]);
  });

  it('gives up at once when Retry-After asks for more than the total wait allowed', async () => {
    fake.failNext(1, failures.throttled('120'));

    const error = await appErrorOf(client({ maxTotalWaitMs: 60_000 }).getProduct('CFQ7TTC0H9MP'));

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toContain('Try again in 120 s');
    expect(sleeps).toEqual([]);
    expect(fake.counts.licensingRequests).toBe(1);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    fake.failNext(1, failures.throttled(new Date(now + 7000).toUTCString()));

    await client({ now: () => now }).getProduct('CFQ7TTC0H9MP');

    expect(sleeps).toEqual([7000]);
  });

  it('backs off exponentially on 503 without Retry-After', async () => {
    fake.failNext(3, failures.unavailable());

    await client().getProduct('CFQ7TTC0H9MP');

    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('does not retry a 500 and says the service failed', async () => {
    fake.failNext(1, failures.serverError());

    const error = await appErrorOf(client().listProducts());

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toMatch(/^The Microsoft licensing service failed \(HTTP 500\)/);
    expect(fake.counts.licensingRequests).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('names the missing permission on a 403 for a change', async () => {
    fake.failNext(1, failures.forbidden());

    const error = await appErrorOf(client().putProduct('CFQ7TTC0H9MP', 'Disabled'));

    expect(error.code).toBe('tenant_forbidden');
    expect(error.userMessage).toContain('Policy.ReadWrite.AllowSelfServicePurchase');
    expect(error.userMessage).toContain('"M365 License Manager" API (aeb86249-8ea3-49e2-900b-54cc8e308f85)');
    expect(error.userMessage).toContain('admin consent');
    expect(error.userMessage).toContain('Billing Administrator or Global Administrator');
  });

  it('names the read permission on a 403 for a read', async () => {
    fake.failNext(1, failures.forbidden());

    const error = await appErrorOf(client().listProducts());

    expect(error.code).toBe('tenant_forbidden');
    expect(error.userMessage).toContain('Policy.Read.AllowSelfServicePurchase');
  });

  it('treats a malformed body as the service answering something unexpected', async () => {
    fake.failNext(1, failures.malformed());

    const error = await appErrorOf(client().listProducts());

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toMatch(/^The Microsoft licensing service answered something unexpected \(ref [0-9a-f-]{36}\)/);
    expect(error.message).toContain('productId');
  });

  it('treats a body that is not JSON as the service answering something unexpected', async () => {
    fake.failNext(1, failures.notJson());

    const error = await appErrorOf(client().getProduct('CFQ7TTC0H9MP'));

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toContain('answered something unexpected');
  });

  it('sends a new correlation id with every call, alongside the bearer token and JSON headers', async () => {
    const api = client();

    await api.getProduct('CFQ7TTC0H9MP');
    await api.getProduct('CFQ7TTC0H9MP');

    const [first, second] = fake.requests;
    expect(first?.correlationId).toMatch(UUID);
    expect(second?.correlationId).toMatch(UUID);
    expect(first?.correlationId).not.toBe(second?.correlationId);
    expect(first?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('gives up when the service does not answer within the timeout', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));

    const error = await appErrorOf(client({ fetch: hanging, timeoutMs: 50 }).listProducts());

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toContain('did not answer within 1 s');
  });

  it('refuses to follow an @odata.nextLink to another host', async () => {
    fake.failNext(1, { status: 200, body: JSON.stringify({ items: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/next' }) });

    const error = await appErrorOf(client().listProducts());

    expect(error.code).toBe('tenant_unavailable');
    expect(error.message).toContain('https://elsewhere.example');
    expect(fake.counts.licensingRequests).toBe(1);
  });

  it('never asks the credential twice at once, so calls made together share one sign-in', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const slow: TokenCredential = {
      async getToken(scope, options) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return credential.getToken(scope, options);
      },
    };
    const api = client({ credential: slow });

    await Promise.all([api.listProducts(), api.listOfferTypes(), api.getProduct('CFQ7TTC0H9MP')]);

    expect(mostInFlight).toBe(1);
    expect(fake.counts.licensingRequests).toBe(4);
  });

  it('says the sign-in is unavailable when the credential cannot reach Entra ID', async () => {
    const unreachable: TokenCredential = {
      async getToken() {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND login.microsoftonline.com'), { name: 'CredentialUnavailableError' });
      },
    };

    const error = await appErrorOf(client({ credential: unreachable }).listProducts());

    expect(error.code).toBe('tenant_unavailable');
    expect(error.userMessage).toBe('The bot could not sign in to Microsoft Entra ID right now. Try again in a few minutes.');
    expect(fake.counts.licensingRequests).toBe(0);
  });

  it('logs nothing that contains the token or an Authorization header', async () => {
    const api = client();
    fake.failNext(1, failures.throttled('1'));
    await api.listProducts();
    await api.putProduct('CFQ7TTC0H9MP', 'Disabled');
    fake.failNext(1, failures.forbidden());
    const forbidden = await appErrorOf(api.getProduct('CFQ7TTC0H9MP'));
    fake.failNext(1, failures.malformed());
    const malformed = await appErrorOf(api.listProducts());

    const everything = JSON.stringify([logs, forbidden.message, forbidden.userMessage, malformed.message, malformed.userMessage]);
    expect(logs.length).toBeGreaterThan(4);
    expect(everything).not.toContain(TOKEN);
    expect(everything.toLowerCase()).not.toContain('bearer');
    expect(everything.toLowerCase()).not.toContain('authorization');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T10:00:00Z');

  it('reads delay-seconds, an HTTP date, and nothing from garbage', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
