import { describe, expect, it } from 'vitest';
import { loadDashboard } from '../../src/services/dashboard.js';
import { findSavings, latestSavings, SNAPSHOT_FINDINGS, type Finding } from '../../src/services/find-savings.js';
import { adminHome } from '../../src/slack/blocks/home.js';
import { savingsMessage } from '../../src/slack/blocks/savings.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { aPerson, aProduct, aSubscription, assign, manyPeople } from '../support/builders.js';
import { dialectProviders, onSqliteOnly, useServiceContext } from '../support/database.js';

const now = new Date('2026-12-01T09:00:00Z');

/** A finding as a line a test can compare: kind, product, monthly amount. */
function summary(finding: Finding): string {
  return `${finding.kind} ${finding.product.name} ${finding.monthly ? `${finding.monthly.amountMinor} ${finding.monthly.currency}` : 'unknown'}`;
}

describe.each(dialectProviders)('the savings finder on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });
  const anyDialect = onSqliteOnly(provider);
  const noConfig = { centralPrices: [], licensesPerProduct: false };

  /**
   * Each kind of waste, with known amounts:
   * - Power BI Pro: central at $10.00 (Carol and Dan hold it); Ana's self-service at $14.00, 4
   *   seats, held by Ana, Carol (twice) and Erin (disabled): 1 seat free ($14), Carol paying
   *   twice ($14), Erin's license on a disabled account ($14); centrally the 4 seats would cost
   *   $40.00 instead of $56.00 ($16 saved).
   * - Visio Plan 2 in EUR: Ben's self-service at €15.00, 2 seats, Ben and Dan hold them; Dan also
   *   holds Fay's second self-service one at €15.00 (two self-service licenses: €15 twice);
   *   CENTRAL_PRICES says €12.00 centrally: 3 seats, €45 against €36 (€9 saved).
   * - Project Plan 3: self-service at $30.00, 1 seat held by Gus; central at $35.00: dearer.
   * - Power Apps: Hal's self-service, price unknown, 3 seats, 1 held: free seats of unknown price.
   */
  async function wastefulTenant() {
    const { prisma } = database;
    const bi = await aProduct(prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' });
    const visio = await aProduct(prisma, { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' });
    const project = await aProduct(prisma, { id: 'CFQ7TTC0HDB0', name: 'Project Plan 3' });
    const apps = await aProduct(prisma, { id: 'CFQ7TTC0LH2H', name: 'Power Apps per user' });
    const [ana, ben, carol, dan, erin, fay, gus, hal] = await Promise.all(
      ['Ana', 'Ben', 'Carol', 'Dan', 'Erin', 'Fay', 'Gus', 'Hal'].map((name) => aPerson(prisma, { name })),
    );
    await prisma.person.update({ where: { id: erin!.id }, data: { accountEnabled: false } });

    const biCentral = await aSubscription(prisma, { productId: bi.id, isSelfService: false, licensesPurchased: 10, unitPriceMinor: 1000 });
    await assign(prisma, biCentral.id, [carol!.id, dan!.id]);
    const biSelf = await aSubscription(prisma, { productId: bi.id, purchaserId: ana!.id, licensesPurchased: 4, unitPriceMinor: 1400 });
    await assign(prisma, biSelf.id, [ana!.id, carol!.id, erin!.id]);

    const visioBen = await aSubscription(prisma, {
      productId: visio.id,
      purchaserId: ben!.id,
      licensesPurchased: 2,
      unitPriceMinor: 1500,
      currency: 'EUR',
      purchasedAt: new Date('2026-03-01T00:00:00Z'),
    });
    await assign(prisma, visioBen.id, [ben!.id, dan!.id]);
    const visioFay = await aSubscription(prisma, {
      productId: visio.id,
      purchaserId: fay!.id,
      licensesPurchased: 1,
      unitPriceMinor: 1500,
      currency: 'EUR',
      purchasedAt: new Date('2026-05-01T00:00:00Z'),
    });
    await assign(prisma, visioFay.id, [dan!.id]);

    const projectSelf = await aSubscription(prisma, { productId: project.id, purchaserId: gus!.id, licensesPurchased: 1, unitPriceMinor: 3000 });
    await assign(prisma, projectSelf.id, [gus!.id]);
    const projectCentral = await aSubscription(prisma, { productId: project.id, isSelfService: false, licensesPurchased: 5, unitPriceMinor: 3500 });
    await assign(prisma, projectCentral.id, [ana!.id]);

    const appsSelf = await aSubscription(prisma, { productId: apps.id, purchaserId: hal!.id, licensesPurchased: 3, unitPriceMinor: null, currency: null });
    await assign(prisma, appsSelf.id, [hal!.id]);

    // Neither cancelled subscriptions nor removed licenses are waste.
    const gone = await aSubscription(prisma, {
      productId: bi.id,
      purchaserId: ben!.id,
      licensesPurchased: 9,
      status: 'Deleted',
      cancelledAt: new Date('2026-10-01T00:00:00Z'),
    });
    await assign(prisma, gone.id, [ben!.id]);
    return { biSelf, visioBen, visioFay, appsSelf, centralPrices: [{ key: 'VISIO_PLAN2_DEPT', unitPrice: { amountMinor: 1200, currency: 'EUR' } }] };
  }

  it('finds each kind of waste with its monthly amount, one currency each, ranked by money within each currency', async () => {
    const tenant = await wastefulTenant();
    await database.prisma.productSku.create({
      data: { skuId: '00000000-0000-4000-8000-00000000d0d0', productId: 'CFQ7TTC0HD32', skuPartNumber: 'VISIO_PLAN2_DEPT', firstSeenAt: now },
    });
    const savings = await findSavings(ctx, { ...noConfig, centralPrices: tenant.centralPrices });

    expect(savings.byCurrency.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    expect(savings.byCurrency[0]!.findings.map(summary)).toEqual(['duplicate Visio Plan 2 1500 EUR', 'centralize Visio Plan 2 900 EUR']);
    expect(savings.byCurrency[1]!.findings.map(summary)).toEqual([
      'centralize Power BI Pro 1600 USD',
      'duplicate Power BI Pro 1400 USD',
      'free-seats Power BI Pro 1400 USD',
      'inactive-accounts Power BI Pro 1400 USD',
    ]);
    expect(savings.unknownPrice.map(summary)).toEqual(['free-seats Power Apps per user unknown']);
    expect(savings.centralDearer.map((f) => `${f.product.name} ${f.selfServiceMonthly.amountMinor} against ${f.centralMonthly.amountMinor}`)).toEqual([
      'Project Plan 3 3000 against 3500',
    ]);

    const [visioTwice] = savings.byCurrency[0]!.findings;
    expect(visioTwice).toMatchObject({ kind: 'duplicate', people: 1, licenses: 1, names: ['Dan'], action: { kind: 'centralize', productId: 'CFQ7TTC0HD32' } });
    // Dan's second self-service license (Fay's, bought later) is the one paid for nothing.
    expect(visioTwice!.subscriptionShortIds).toEqual([tenant.visioFay.id.slice(0, 8)]);
    const usd = savings.byCurrency[1]!.findings;
    expect(usd.find((f) => f.kind === 'centralize')).toMatchObject({
      seats: 4,
      priceSource: 'central subscription',
      centralUnitPrice: { amountMinor: 1000, currency: 'USD' },
    });
    expect(savings.byCurrency[0]!.findings[1]).toMatchObject({ priceSource: 'CENTRAL_PRICES', seats: 3 });
    expect(usd.find((f) => f.kind === 'free-seats')).toMatchObject({ free: 1, action: { kind: 'takeover', subscriptionId: tenant.biSelf.id } });
    expect(usd.find((f) => f.kind === 'inactive-accounts')).toMatchObject({
      names: ['Erin'],
      action: { kind: 'export-subscription', subscriptionId: tenant.biSelf.id },
    });
  });

  anyDialect('says each finding per month and per year, never adds currencies, says where central is dearer, within Block Kit limits', async () => {
    await wastefulTenant();
    const message = savingsMessage(await findSavings(ctx, noConfig));
    expect(checkBlockKit('message', message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Up to *€15.00 + $58.00 a month* (€180.00 + $696.00 a year)');
    expect(text).toContain('*$16.00 a month* ($192.00 a year)');
    expect(text).toContain('Project Plan 3: the 1 self-service seat cost $30.00 a month; centrally they would cost $35.00');
    for (const action of ['savings_centralize', 'takeover_open', 'subscription_export']) expect(text).toContain(action);
  });

  anyDialect('shows the first findings and says how many more there are, within Block Kit limits', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const people = await manyPeople(database.prisma, 40);
    for (const [i, person] of people.entries()) {
      await aSubscription(database.prisma, { productId: product.id, purchaserId: person, licensesPurchased: 2 + i, unitPriceMinor: 1400 });
    }
    const message = savingsMessage(await findSavings(ctx, noConfig));
    expect(checkBlockKit('message', message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('…and 20 more');
    // Largest first: the purchase of 41 seats, none of them assigned.
    expect(JSON.stringify(message.blocks[3])).toContain('41 seats of 41');
  });

  anyDialect('keeps only the first findings for App Home, with how many it found in all', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro' });
    const people = await manyPeople(database.prisma, 40);
    for (const [i, person] of people.entries()) {
      await aSubscription(database.prisma, { productId: product.id, purchaserId: person, licensesPurchased: 2 + i, unitPriceMinor: 1400 });
    }
    const found = await findSavings(ctx, noConfig);
    const snapshot = await latestSavings(ctx);
    expect(snapshot?.findings).toBe(40);
    expect(snapshot?.savings.byCurrency.flatMap((c) => c.findings)).toEqual(found.byCurrency[0]!.findings.slice(0, SNAPSHOT_FINDINGS));
    const home = JSON.stringify(adminHome(await loadDashboard(ctx), now, 'UTC').blocks);
    expect(home).toContain('41 seats of 41');
    expect(home).toContain('…and 35 more');
  });

  it('on Microsoft 365 counts free seats only where the record knows a subscription’s licenses (a product with one subscription)', async () => {
    const { prisma } = database;
    const pooled = await aProduct(prisma, { name: 'Pooled' });
    const single = await aProduct(prisma, { name: 'Single' });
    await aSubscription(prisma, { productId: pooled.id, purchaserId: (await aPerson(prisma)).id, licensesPurchased: 5 });
    await aSubscription(prisma, { productId: pooled.id, isSelfService: false, licensesPurchased: 5 });
    await aSubscription(prisma, { productId: single.id, purchaserId: (await aPerson(prisma)).id, licensesPurchased: 2 });
    const savings = await findSavings(ctx, { centralPrices: [], licensesPerProduct: true });
    expect(
      savings.byCurrency
        .flatMap((c) => c.findings)
        .filter((f) => f.kind === 'free-seats')
        .map(summary),
    ).toEqual(['free-seats Single 2800 USD']);
  });
});
