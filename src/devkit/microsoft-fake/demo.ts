/**
 * A small tenant for the fake's Graph, for the sandbox and for tests that want a realistic
 * one: a central Power BI Pro subscription beside a self-service one (so Power BI Pro has two
 * subscriptions), self-service Visio Plan 2, Power Automate (a trial) and Project Plan 3 bought
 * by users (ownerType User), and holders of whom one has Project Plan 3 from a group.
 */
import { addDays } from 'date-fns';
import { skuByPartNumber } from '../../domain/sku-catalog.js';
import { graphTenant, type FakeCompanySubscription, type FakeGraphTenant } from './graph.js';

export const DEMO_GROUP_ID = '5f0c6a1e-7d2b-4c39-9a51-2b8e4d7f6a10';

function skuIdOf(partNumber: string): string {
  const sku = skuByPartNumber(partNumber);
  if (!sku) throw new Error(`${partNumber} is not in the SKU catalog`);
  return sku.skuId;
}

export const DEMO_USERS = {
  meera: { id: '0a1b2c3d-0000-4000-8000-000000000001', name: 'Meera Desai', upn: 'meera.desai@contoso.com' },
  ana: { id: '0a1b2c3d-0000-4000-8000-000000000002', name: 'Ana Lopez', upn: 'ana.lopez@contoso.com' },
  raj: { id: '0a1b2c3d-0000-4000-8000-000000000003', name: 'Raj Patel', upn: 'raj.patel@contoso.com' },
  lea: { id: '0a1b2c3d-0000-4000-8000-000000000004', name: 'Lea Martin', upn: 'lea.martin@contoso.com' },
  tom: { id: '0a1b2c3d-0000-4000-8000-000000000005', name: 'Tom Berg', upn: 'tom.berg@contoso.com' },
  sam: { id: '0a1b2c3d-0000-4000-8000-000000000006', name: 'Sam Okafor', upn: 'sam.okafor@contoso.com' },
  kim: { id: '0a1b2c3d-0000-4000-8000-000000000007', name: 'Kim Larsen', upn: 'kim.larsen@contoso.com' },
  ivy: { id: '0a1b2c3d-0000-4000-8000-000000000008', name: 'Ivy Chen', upn: 'ivy.chen@contoso.com' },
} as const;

export function demoGraphTenant(now: Date): FakeGraphTenant {
  const pbi = skuIdOf('POWER_BI_PRO');
  const visio = skuIdOf('VISIOCLIENT');
  const flow = skuIdOf('FLOW_PER_USER');
  const project = skuIdOf('PROJECTPROFESSIONAL');
  const at = (days: number) => addDays(now, days).toISOString();
  const subscription = (
    n: number,
    skuId: string,
    skuPartNumber: string,
    totalLicenses: number,
    owner: string | null,
    extra: Partial<FakeCompanySubscription> = {},
  ): FakeCompanySubscription => ({
    id: `5e1f0000-0000-4000-8000-00000000000${n}`,
    commerceSubscriptionId: `c0ffee00-0000-4000-8000-00000000000${n}`,
    skuId,
    skuPartNumber,
    status: 'Enabled',
    totalLicenses,
    isTrial: false,
    createdDateTime: at(-40 * n),
    nextLifecycleDateTime: at(365 - 40 * n),
    ownerId: owner,
    ownerTenantId: null,
    ownerType: owner === null ? null : 'User',
    ...extra,
  });
  const subscriptions = [
    subscription(1, pbi, 'POWER_BI_PRO', 10, null),
    subscription(2, pbi, 'POWER_BI_PRO', 3, DEMO_USERS.meera.id),
    subscription(3, visio, 'VISIOCLIENT', 2, DEMO_USERS.ana.id),
    subscription(4, flow, 'FLOW_PER_USER', 1, DEMO_USERS.raj.id, { isTrial: true, nextLifecycleDateTime: at(20) }),
    subscription(5, project, 'PROJECTPROFESSIONAL', 3, DEMO_USERS.lea.id),
  ];
  const commerceIds = (skuId: string) => subscriptions.filter((s) => s.skuId === skuId).map((s) => s.commerceSubscriptionId);
  const seats = (skuId: string) => subscriptions.filter((s) => s.skuId === skuId).reduce((sum, s) => sum + s.totalLicenses, 0);
  const { direct, viaGroup, user } = graphTenant;
  const person = (key: keyof typeof DEMO_USERS, states: ReturnType<typeof direct>[]) =>
    user(DEMO_USERS[key].id, DEMO_USERS[key].name, DEMO_USERS[key].upn, states);

  return {
    skus: [
      graphTenant.sku(pbi, 'POWER_BI_PRO', seats(pbi), commerceIds(pbi)),
      graphTenant.sku(visio, 'VISIOCLIENT', seats(visio), commerceIds(visio)),
      graphTenant.sku(flow, 'FLOW_PER_USER', seats(flow), commerceIds(flow)),
      graphTenant.sku(project, 'PROJECTPROFESSIONAL', seats(project), commerceIds(project)),
    ],
    subscriptions,
    users: [
      person('meera', [direct(pbi)]),
      person('ana', [direct(visio), direct(pbi)]),
      person('raj', [direct(flow)]),
      person('lea', [direct(project)]),
      person('tom', [direct(visio)]),
      person('sam', [viaGroup(project, DEMO_GROUP_ID)]),
      person('kim', [direct(pbi)]),
      { ...person('ivy', []), usageLocation: null },
    ],
  };
}
