/**
 * Two replicas of the bot on one database, both asked to sync at the same moment: the lease row
 * lets one sync run; the other is told who holds it, and the record is written once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { demoGraphTenant, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { skuBySkuId } from '../../src/domain/sku-catalog.js';
import { runSyncExclusive } from '../../src/services/sync-tenant.js';
import type { TenantDirectory, TenantDirectorySnapshot } from '../../src/tenant/port.js';
import { microsoftTenantOf } from '../support/microsoft.js';
import { createTestDatabase, dialectProviders, type Database, type TestDatabase } from '../support/database.js';

const NOW = new Date('2026-11-25T09:00:00Z');

describe.each(dialectProviders)('two replicas syncing at once on %s', (provider) => {
  let fake: FakeMicrosoft;
  let database: TestDatabase;
  let second: Database;

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), now: () => NOW });
    database = await createTestDatabase(provider);
    second = await createDatabase(database.url, { migrate: false });
  });
  afterEach(async () => {
    await second.close();
    await database.close();
    await fake.close();
  });

  function directory(): TenantDirectory {
    return microsoftTenantOf(fake).directory;
  }

  it('runs one sync: the replica that comes second is told the first holds it, and the tenant is recorded once', async () => {
    // Replica A reads the tenant, and holds on to the snapshot until replica B has tried.
    let started!: () => void;
    const aStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const bTried = new Promise<void>((resolve) => (release = resolve));
    const real = directory();
    const held: TenantDirectory = {
      async readSnapshot(): Promise<TenantDirectorySnapshot> {
        started();
        const snapshot = await real.readSnapshot();
        await bTried;
        return snapshot;
      },
    };
    const sync = (db: Database, dir: TenantDirectory, holder: string) =>
      runSyncExclusive(
        { prisma: db.prisma, now: NOW, timeZone: 'UTC' },
        { directory: dir, skus: { skuBySkuId }, actor: { slackUserId: 'tenant-sync' } },
        { holder },
      );

    const a = sync(database, held, 'replica-a');
    await aStarted;
    const b = await sync(second, directory(), 'replica-b');
    release();

    expect(b).toMatchObject({ status: 'busy', holder: 'replica-a' });
    expect(await a).toMatchObject({ status: 'ran', summary: { new: { subscriptions: 5 } } });
    expect(await database.prisma.subscription.count()).toBe(5);
    expect(await database.prisma.auditEvent.count({ where: { action: 'tenant.synced' } })).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/v1.0/subscribedSkus')).toHaveLength(1);
  });
});
