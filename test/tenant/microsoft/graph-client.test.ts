import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MicrosoftConfig } from '../../../src/tenant/microsoft/config.js';
import { createGraphClient, type GraphClientOptions, type GraphLogEntry } from '../../../src/tenant/microsoft/graph-client.js';
import { createLicensingClient } from '../../../src/tenant/microsoft/licensing-client.js';
import { createMicrosoftCredential } from '../../../src/tenant/microsoft/token.js';
import { DEMO_GROUP_ID, DEMO_USERS, demoGraphTenant, graphFailures, startFakeMicrosoft, type FakeMicrosoft } from '../../../src/devkit/microsoft-fake/index.js';
import { appErrorOf } from '../../support/app-error.js';
import { microsoftConfig } from '../../support/microsoft.js';

const NOW = new Date('2025-06-02T09:00:00Z');
const POWER_BI_PRO = 'f8a1db68-be16-40ed-86d5-cb42ce701560';
const PROJECT_PLAN_3 = '53818b1b-4a27-454b-8896-0dba576410e6';
const VISIO_PLAN_2 = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';

describe('the Graph client', () => {
  let fake: FakeMicrosoft;
  let config: MicrosoftConfig;
  let sleeps: number[];
  let logs: GraphLogEntry[];

  function client(overrides: Partial<GraphClientOptions> = {}) {
    return createGraphClient({
      baseUrl: config.graphUrl,
      credential: createMicrosoftCredential(config),
      timeoutMs: 5000,
      maxRetries: 4,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      log: (entry) => logs.push(entry),
      ...overrides,
    });
  }

  const graphRequests = () => fake.requests.filter((request) => request.service === 'graph');

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), graphPageSize: 3, now: () => NOW });
    config = microsoftConfig(fake);
    sleeps = [];
    logs = [];
  });

  afterEach(async () => {
    await fake?.close();
  });

  describe('reading the tenant', () => {
    it('reads every page of users, following @odata.nextLink as a whole URL, with a Graph token', async () => {
      const { items, skipped } = await client().listUsers();

      expect(items.map((user) => user.displayName)).toEqual(Object.values(DEMO_USERS).map((user) => user.name));
      expect(skipped).toEqual([]);
      const paths = graphRequests().map((request) => request.path);
      expect(paths).toHaveLength(3);
      expect(paths[0]).toBe('/v1.0/users?$select=id,displayName,mail,userPrincipalName,accountEnabled,assignedLicenses,licenseAssignmentStates&$top=999');
      expect(paths[1]).toMatch(/^\/v1\.0\/users\?\$select=id,displayName,.*&\$top=999&\$skiptoken=\S+$/);
      expect([...fake.tokenScopes.values()]).toEqual([`${fake.url}/.default`]);
      expect(graphRequests().every((request) => request.correlationId === graphRequests()[0]?.correlationId)).toBe(true);
    });

    it('says which licenses a user holds directly and which come from a group', async () => {
      const users = (await client().listUsers()).items;
      const byId = (id: string) => users.find((user) => user.id === id);

      expect(byId(DEMO_USERS.sam.id)?.licenses).toEqual([{ skuId: PROJECT_PLAN_3, direct: false, viaGroups: [DEMO_GROUP_ID], state: 'Active', error: null }]);
      expect(byId(DEMO_USERS.ana.id)).toMatchObject({
        mail: 'ana.lopez@contoso.com',
        userPrincipalName: 'ana.lopez@contoso.com',
        accountEnabled: true,
        licenses: [
          { skuId: VISIO_PLAN_2, direct: true, viaGroups: [] },
          { skuId: POWER_BI_PRO, direct: true, viaGroups: [] },
        ],
      });
    });

    it('reads the subscriptions with their status, dates and owner, and the SKUs with their seats', async () => {
      const api = client();
      const subscriptions = (await api.listSubscriptions()).items;
      const skus = (await api.listSubscribedSkus()).items;

      expect(subscriptions).toHaveLength(5);
      expect(subscriptions.find((subscription) => subscription.ownerId === DEMO_USERS.raj.id)).toEqual({
        id: '5e1f0000-0000-4000-8000-000000000004',
        commerceSubscriptionId: 'c0ffee00-0000-4000-8000-000000000004',
        skuId: '4a51bf65-409c-4a91-b845-1121b571cc9d',
        skuPartNumber: 'FLOW_PER_USER',
        status: 'Enabled',
        totalLicenses: 1,
        isTrial: true,
        createdAt: new Date('2024-12-24T09:00:00Z'),
        nextLifecycleAt: new Date('2025-06-22T09:00:00Z'),
        ownerId: DEMO_USERS.raj.id,
        ownerType: 'User',
      });
      expect(skus.find((sku) => sku.skuId === POWER_BI_PRO)).toEqual({
        skuId: POWER_BI_PRO,
        skuPartNumber: 'POWER_BI_PRO',
        enabledUnits: 13,
        consumedUnits: 3,
        subscriptionIds: ['c0ffee00-0000-4000-8000-000000000001', 'c0ffee00-0000-4000-8000-000000000002'],
      });
    });

    it('skips and counts an item that lacks a field it needs, and keeps the rest', async () => {
      const valid = { id: 'u-1', displayName: 'Whole', mail: null, userPrincipalName: 'whole@contoso.com', assignedLicenses: [] };
      fake.graph.failNext('GET', '/v1.0/users', graphFailures.page([valid, { id: 'u-2', displayName: 'No sign-in name' }]));
      fake.graph.failNext('GET', '/v1.0/directory/subscriptions', graphFailures.page([{ id: 's-1', skuId: POWER_BI_PRO, status: 'Expired' }]));
      fake.graph.failNext('GET', '/v1.0/subscribedSkus', graphFailures.page([{ skuId: POWER_BI_PRO, skuPartNumber: 'POWER_BI_PRO', consumedUnits: 1 }]));
      const api = client();

      const users = await api.listUsers();
      const subscriptions = await api.listSubscriptions();
      const skus = await api.listSubscribedSkus();

      expect(users.items).toEqual([
        { id: 'u-1', displayName: 'Whole', mail: null, userPrincipalName: 'whole@contoso.com', accountEnabled: null, licenses: [] },
      ]);
      expect(users.skipped).toEqual([{ what: 'user', id: 'u-2', reason: expect.stringContaining('userPrincipalName') }]);
      expect(subscriptions.skipped).toEqual([{ what: 'subscription', id: 's-1', reason: expect.stringContaining('status') }]);
      expect(skus.skipped).toEqual([{ what: 'sku', id: POWER_BI_PRO, reason: expect.stringContaining('prepaidUnits') }]);
    });

    it('treats a page that is not a Graph collection, or not JSON, as Graph answering something unexpected', async () => {
      fake.graph.failNext('GET', '/v1.0/subscribedSkus', graphFailures.notACollection());
      fake.graph.failNext('GET', '/v1.0/users', graphFailures.notJson());
      const api = client();

      const wrongShape = await appErrorOf(api.listSubscribedSkus());
      const notJson = await appErrorOf(api.listUsers());

      expect(wrongShape.code).toBe('tenant_unavailable');
      expect(wrongShape.userMessage).toMatch(/^Microsoft Graph answered something unexpected \(ref [0-9a-f-]{36}\)\. Try again later/);
      expect(wrongShape.message).toContain('value');
      expect(notJson.userMessage).toMatch(/^Microsoft Graph answered something unexpected/);
    });

    it('refuses to follow an @odata.nextLink to another host', async () => {
      fake.graph.failNext('GET', '/v1.0/users', graphFailures.page([], 'https://elsewhere.example/v1.0/users?$skiptoken=abc'));

      const error = await appErrorOf(client().listUsers());

      expect(error.code).toBe('tenant_unavailable');
      expect(error.message).toContain('https://elsewhere.example');
      expect(fake.counts.graphRequests).toBe(1);
    });
  });

  describe('when Graph throttles or fails', () => {
    it('waits out a 429 storm as Retry-After says and then reads on', async () => {
      fake.graph.failNext('GET', '/v1.0/users', graphFailures.throttled('3'), graphFailures.throttled('3'), graphFailures.throttled('3'));

      const { items } = await client().listUsers();

      expect(items).toHaveLength(8);
      expect(sleeps).toEqual([3000, 3000, 3000]);
      expect(logs.filter((entry) => entry.event === 'graph.retry').map((entry) => entry.status)).toEqual([429, 429, 429]);
    });

    it('gives up on a 429 storm after MS_MAX_RETRIES with a message that says when to try again', async () => {
      fake.graph.failAlways('GET', '/v1.0/directory/subscriptions', graphFailures.throttled('2'));

      const error = await appErrorOf(client().listSubscriptions());

      expect(error.code).toBe('tenant_unavailable');
      expect(error.userMessage).toMatch(/^Microsoft is throttling the bot's requests to Microsoft Graph; the bot gave up after 5 tries\. Try again in 2 s\./);
      expect(fake.counts.graphRequests).toBe(5);
      expect(sleeps).toEqual([2000, 2000, 2000, 2000]);
    });

    it('backs off exponentially on 503 and 504 without Retry-After', async () => {
      fake.graph.failNext('GET', '/v1.0/subscribedSkus', graphFailures.unavailable(), graphFailures.gatewayTimeout());

      await client().listSubscribedSkus();

      expect(sleeps).toEqual([1000, 2000]);
    });

    it('does not retry a 500 and says Graph failed', async () => {
      fake.graph.failNext('GET', '/v1.0/subscribedSkus', graphFailures.serverError());

      const error = await appErrorOf(client().listSubscribedSkus());

      expect(error.code).toBe('tenant_unavailable');
      expect(error.userMessage).toMatch(/^Microsoft Graph failed \(HTTP 500\)\. Try again in a few minutes\./);
      expect(fake.counts.graphRequests).toBe(1);
    });

    it.each([
      ['/v1.0/subscribedSkus', 'listSubscribedSkus', 'Organization.Read.All', 'cannot sync subscriptions'],
      ['/v1.0/directory/subscriptions', 'listSubscriptions', 'Organization.Read.All', 'cannot sync subscriptions'],
      ['/v1.0/users', 'listUsers', 'User.Read.All', 'cannot sync who holds which license'],
    ] as const)('names the permission to grant when Graph refuses %s', async (path, method, permission, without) => {
      fake.graph.failNext('GET', path, graphFailures.forbidden());

      const error = await appErrorOf(client()[method]());

      expect(error.code).toBe('tenant_forbidden');
      expect(error.userMessage).toContain(`the Microsoft Graph application permission ${permission}, with admin consent`);
      expect(error.userMessage).toContain(without);
      expect(error.userMessage).toContain("purchase policies, imports and the bot's own record keep working");
    });

    it('refuses a token issued for the licensing service: Graph takes only Graph tokens', async () => {
      const credential = createMicrosoftCredential(config);
      await createLicensingClient({ baseUrl: fake.url, credential, timeoutMs: 5000, maxRetries: 0 }).listProducts();
      const licensingToken = fake.tokensIssued[0] ?? '';
      const borrowed = { getToken: async () => ({ token: licensingToken, expiresOnTimestamp: NOW.getTime() + 3_600_000 }) };

      const error = await appErrorOf(client({ credential: borrowed }).listSubscribedSkus());

      expect(error.code).toBe('tenant_forbidden');
      expect(error.message).toContain('Invalid audience');
    });

    it('logs nothing that contains the token', async () => {
      fake.graph.failNext('GET', '/v1.0/users', graphFailures.throttled('1'));
      fake.graph.failNext('GET', '/v1.0/subscribedSkus', graphFailures.forbidden());
      const api = client();
      await api.listUsers();
      const forbidden = await appErrorOf(api.listSubscribedSkus());

      const token = fake.tokensIssued[0] ?? 'no token issued';
      const everything = JSON.stringify([logs, forbidden.message, forbidden.userMessage]);
      expect(logs.length).toBeGreaterThan(3);
      expect(everything).not.toContain(token);
      expect(everything.toLowerCase()).not.toContain('bearer');
    });
  });

  describe('changing licenses', () => {
    it('removes a direct license and frees its seat', async () => {
      const api = client();

      expect(await api.assignLicense({ userId: DEMO_USERS.kim.id, remove: [POWER_BI_PRO] })).toEqual({ ok: true });

      expect(fake.graph.consumedUnits(POWER_BI_PRO)).toBe(2);
      expect(fake.graph.users.get(DEMO_USERS.kim.id)?.assignedLicenses).toEqual([]);
      const [request] = graphRequests();
      expect(request).toMatchObject({ method: 'POST', path: `/v1.0/users/${DEMO_USERS.kim.id}/assignLicense`, contentType: 'application/json' });
      expect(JSON.parse(request?.body ?? '{}')).toEqual({ addLicenses: [], removeLicenses: [POWER_BI_PRO] });
    });

    it("adds a license while seats are free, and says no_licenses in Graph's words when none is", async () => {
      const api = client();

      expect(await api.assignLicense({ userId: DEMO_USERS.tom.id, add: [PROJECT_PLAN_3] })).toEqual({ ok: true });
      expect(await api.assignLicense({ userId: DEMO_USERS.kim.id, add: [PROJECT_PLAN_3] })).toEqual({
        ok: false,
        code: 'no_licenses',
        message: `Subscription with SKU ${PROJECT_PLAN_3} does not have any available licenses.`,
      });
      expect(fake.graph.consumedUnits(PROJECT_PLAN_3)).toBe(3);
    });

    it('says usage_location for a user without a usage location', async () => {
      expect(await client().assignLicense({ userId: DEMO_USERS.ivy.id, add: [POWER_BI_PRO] })).toEqual({
        ok: false,
        code: 'usage_location',
        message: 'License assignment cannot be done for user with invalid usage location.',
      });
    });

    it('says group_assigned for a license that comes from a group, and leaves it', async () => {
      const result = await client().assignLicense({ userId: DEMO_USERS.sam.id, remove: [PROJECT_PLAN_3] });

      expect(result).toEqual({
        ok: false,
        code: 'group_assigned',
        message: 'User license is inherited from a group membership and it cannot be removed directly from the user.',
      });
      expect(fake.graph.users.get(DEMO_USERS.sam.id)?.assignedLicenses).toEqual([{ skuId: PROJECT_PLAN_3, disabledPlans: [] }]);
    });

    it('says not_found for a user Graph does not know, and other for any other refusal', async () => {
      const api = client();

      const missing = await api.assignLicense({ userId: '99999999-0000-4000-8000-000000000000', remove: [POWER_BI_PRO] });
      const notHeld = await api.assignLicense({ userId: DEMO_USERS.raj.id, remove: [POWER_BI_PRO] });

      expect(missing).toMatchObject({ ok: false, code: 'not_found', message: expect.stringContaining('does not exist') });
      expect(notHeld).toEqual({ ok: false, code: 'other', message: 'User does not have a corresponding license.' });
    });

    it('says forbidden, naming LicenseAssignment.ReadWrite.All and what still works, when Graph refuses the change', async () => {
      fake.graph.failNext('POST', `/v1.0/users/${DEMO_USERS.kim.id}/assignLicense`, graphFailures.forbidden());

      const result = await client().assignLicense({ userId: DEMO_USERS.kim.id, remove: [POWER_BI_PRO] });

      expect(result).toMatchObject({ ok: false, code: 'forbidden' });
      expect(result.ok === false && result.message).toContain('permission LicenseAssignment.ReadWrite.All');
      expect(result.ok === false && result.message).toContain('the bot reads and reports but does not change licenses');
    });

    it('retries a throttled change and says throttled when Graph keeps refusing', async () => {
      const path = `/v1.0/users/${DEMO_USERS.kim.id}/assignLicense`;
      fake.graph.failNext('POST', path, graphFailures.throttled('1'));
      const api = client();

      expect(await api.assignLicense({ userId: DEMO_USERS.kim.id, remove: [POWER_BI_PRO] })).toEqual({ ok: true });
      fake.graph.failAlways('POST', `/v1.0/users/${DEMO_USERS.ana.id}/assignLicense`, graphFailures.throttled('1'));
      const result = await api.assignLicense({ userId: DEMO_USERS.ana.id, remove: [POWER_BI_PRO] });

      expect(result).toMatchObject({ ok: false, code: 'throttled', message: expect.stringContaining('gave up after 5 tries') });
      expect(sleeps).toEqual([1000, 1000, 1000, 1000, 1000]);
    });

    it('refuses a change that names no license before asking Graph', async () => {
      const error = await appErrorOf(client().assignLicense({ userId: DEMO_USERS.kim.id, add: [], remove: [] }));

      expect(error.code).toBe('bad_input');
      expect(fake.counts.graphRequests).toBe(0);
    });
  });
});
