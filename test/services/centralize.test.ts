import { beforeEach, describe, expect, it } from 'vitest';
import { askPurchasersToCancel, assignCentralLicenses, centralizePlan } from '../../src/services/centralize.js';
import { centralizeNotices } from '../../src/slack/blocks/centralize.js';
import { createLocalSubscriptionTenant } from '../../src/tenant/local/subscription-tenant.js';
import { aPerson, aProduct, assign, aSubscription } from '../support/builders.js';
import { sqliteOnly, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const ADMIN = 'U0ADMIN0001';

describe.each(sqliteOnly)('centralize on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });
  let ids: { product: string; central: string; holders: string[]; alreadyCentral: string };

  beforeEach(async () => {
    const product = await aProduct(database.prisma, { name: 'Visio Plan 2' });
    const ana = await aPerson(database.prisma, { name: 'Ana', email: 'ana@contoso.com' });
    const ben = await aPerson(database.prisma, { name: 'Ben', email: 'ben@contoso.com' });
    const users = await Promise.all([1, 2, 3, 4].map(() => aPerson(database.prisma)));
    const anas = await aSubscription(database.prisma, { productId: product.id, purchaserId: ana.id, licensesPurchased: 3 });
    const bens = await aSubscription(database.prisma, { productId: product.id, purchaserId: ben.id, licensesPurchased: 3 });
    await assign(database.prisma, anas.id, [users[0]!.id, users[1]!.id]);
    await assign(database.prisma, bens.id, [users[1]!.id, users[2]!.id, users[3]!.id]);
    const central = await aSubscription(database.prisma, { productId: product.id, purchaserId: null, isSelfService: false, licensesPurchased: 4 });
    await assign(database.prisma, central.id, [users[3]!.id]);
    ids = { product: product.id, central: central.id, holders: [users[0]!.id, users[1]!.id, users[2]!.id], alreadyCentral: users[3]!.id };
  });

  it('plans one central license per self-service holder, skipping who already holds one', async () => {
    const plan = await centralizePlan(ctx, 'visio plan 2');
    expect(plan.toAssign.map((u) => u.id).sort()).toEqual([...ids.holders].sort());
    expect(plan.skipped.map((u) => u.id)).toEqual([ids.alreadyCentral]);
    expect(plan).toMatchObject({ free: 3, missing: 0 });
  });

  it('assigns central licenses to everyone at once, and audits it', async () => {
    const { assigned } = await assignCentralLicenses(ctx, createLocalSubscriptionTenant(database.prisma), { slackUserId: ADMIN }, ids.product);
    expect(assigned).toBe(3);
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.central, removedAt: null } })).toBe(4);
    expect(await database.prisma.auditEvent.count({ where: { action: 'centralize.assigned', actorId: ADMIN } })).toBe(1);
  });

  it('assigns nobody when central licenses are short, saying how many are missing', async () => {
    await database.prisma.subscription.update({ where: { id: ids.central }, data: { licensesPurchased: 3 } });
    await expect(assignCentralLicenses(ctx, createLocalSubscriptionTenant(database.prisma), { slackUserId: ADMIN }, ids.product)).rejects.toMatchObject({
      userMessage: expect.stringContaining('3 people without a central Visio Plan 2 license, and 2 central licenses free (1 missing)'),
    });
    expect(await database.prisma.licenseAssignment.count({ where: { subscriptionId: ids.central, removedAt: null } })).toBe(1);
  });

  it('asks each purchaser once a day to cancel, by email, saying what they bought and who asks', async () => {
    expect(await askPurchasersToCancel(ctx, centralizeNotices, { slackUserId: ADMIN }, ids.product)).toEqual({ asked: 2, alreadyAskedToday: 0 });
    expect(await askPurchasersToCancel(ctx, centralizeNotices, { slackUserId: ADMIN }, ids.product)).toEqual({ asked: 0, alreadyAskedToday: 2 });
    const dms = await database.prisma.outboxMessage.findMany({ where: { kind: 'dm' } });
    expect(dms.map((m) => JSON.parse(m.payload).email).sort()).toEqual(['ana@contoso.com', 'ben@contoso.com']);
    expect(dms[0]!.payload).toContain('3 licenses, renews');
    expect(dms[0]!.payload).toContain(`Asked by <@${ADMIN}>`);
    // Each is told what the record knows of their own users: Ben's hold one central license among three, Ana's none.
    const textTo = (email: string) => JSON.parse(dms.find((m) => JSON.parse(m.payload).email === email)!.payload).text as string;
    expect(textTo('ben@contoso.com')).toContain(
      '1 of the 3 people who use your Visio Plan 2 licenses also hold licenses paid by the organisation; the other 2 lose Visio Plan 2',
    );
    expect(textTo('ana@contoso.com')).toContain('The 2 people who use your Visio Plan 2 licenses hold no license paid by the organisation yet');
    expect(await database.prisma.auditEvent.count({ where: { action: 'centralize.asked_purchasers' } })).toBe(2);
  });
});
