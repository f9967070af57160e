import { randomUUID } from 'node:crypto';
import { addDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { readDashboardNumbers } from '../../src/db/repositories/dashboard.js';
import { aPerson, aProduct, aSubscription } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const query = {
  expiringFrom: now,
  expiringBefore: addDays(now, 30),
  undeliveredSince: addDays(now, -7),
  jobStateKeys: ['policy.lastSync', 'digest.watermark', 'sync.last'],
};

describe.each(dialectProviders)('App Home’s numbers in one statement on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('reads nothing from an empty record as zeros, no error and no JobState values', async () => {
    expect(await readDashboardNumbers(database.prisma, query)).toEqual({
      counts: { active: 0, deleted: 0, trials: 0 },
      expiring: 0,
      pendingTakeovers: 0,
      awaitingAdminCenter: 0,
      undelivered: { count: 0, latestError: null },
      jobState: new Map(),
    });
    expect(await readDashboardNumbers(database.prisma, { ...query, jobStateKeys: [] })).toMatchObject({ jobState: new Map() });
  });

  it('counts self-service subscriptions, the expiring window’s, take-overs and refused messages, and reads the JobState keys asked for', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const buyer = await aPerson(prisma);
    const selfService = { productId: product.id, purchaserId: buyer.id };
    const expiringNow = await aSubscription(prisma, { ...selfService, expiresAt: now }); // the window includes its start
    await aSubscription(prisma, { ...selfService, isTrial: true, expiresAt: addDays(now, 10) });
    await aSubscription(prisma, { ...selfService, expiresAt: query.expiringBefore }); // and excludes its end
    await aSubscription(prisma, { ...selfService, expiresAt: null });
    await aSubscription(prisma, { ...selfService, expiresAt: addDays(now, -1) });
    await aSubscription(prisma, { ...selfService, status: 'Deleted', expiresAt: addDays(now, 5) });
    await aSubscription(prisma, { productId: product.id, isSelfService: false, expiresAt: addDays(now, 5) });

    for (const status of ['PENDING', 'PENDING', 'AWAITING_ADMIN_CENTER', 'REJECTED', 'DONE']) {
      await prisma.takeoverRequest.create({
        data: { id: randomUUID(), subscriptionId: expiringNow.id, kind: 'cancel', status, requestedBy: 'U1', requestedAt: now },
      });
    }
    const messages: Array<{ status: string; createdAt: Date; lastError: string | null }> = [
      { status: 'failed', createdAt: query.undeliveredSince, lastError: 'not_in_channel' }, // the window includes its start
      { status: 'failed', createdAt: addDays(now, -1), lastError: 'channel_not_found' }, // the latest
      { status: 'failed', createdAt: addDays(now, -8), lastError: 'too_old' },
      { status: 'sent', createdAt: now, lastError: null },
      { status: 'pending', createdAt: now, lastError: 'ratelimited' },
    ];
    for (const message of messages) {
      await prisma.outboxMessage.create({
        data: { id: randomUUID(), kind: 'post', dedupeKey: randomUUID(), payload: '{}', nextAttemptAt: now, ...message },
      });
    }
    const lastSync = JSON.stringify({ ok: true, at: now.toISOString(), summary: { note: 'Émile’s “sync” ✓' } });
    await prisma.jobState.create({ data: { key: 'sync.last', value: lastSync, updatedAt: now } });
    await prisma.jobState.create({ data: { key: 'policy.lastSync', value: now.toISOString(), updatedAt: now } });
    await prisma.jobState.create({ data: { key: 'savings.latest', value: 'not asked for', updatedAt: now } });

    expect(await readDashboardNumbers(prisma, query)).toEqual({
      counts: { active: 5, deleted: 1, trials: 1 },
      expiring: 2,
      pendingTakeovers: 2,
      awaitingAdminCenter: 1,
      undelivered: { count: 2, latestError: 'channel_not_found' },
      jobState: new Map([
        ['policy.lastSync', now.toISOString()],
        ['sync.last', lastSync],
      ]),
    });
  });
});
