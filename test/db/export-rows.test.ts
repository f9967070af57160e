import { describe, expect, it } from 'vitest';
import { readExportRows } from '../../src/db/repositories/export-rows.js';
import { aPerson, aProduct, aSubscription, assign, manyPeople } from '../support/builders.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('the export’s rows through the driver on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('reads every current license once, in subscription then license order, across batches that end inside and between subscriptions', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const other = await aProduct(prisma);
    const buyer = await aPerson(prisma, { name: 'Ana Lopez', email: 'ana@contoso.com' });
    const people = await manyPeople(prisma, 40); // the last subscription gets 8 of its 9: there are 40
    const ids: string[] = [];
    for (const [i, size] of [12, 0, 7, 1, 9].entries()) {
      const subscription = await aSubscription(prisma, { productId: product.id, purchaserId: i === 0 ? null : buyer.id, isSelfService: i !== 0 });
      // Each subscription's licenses given at one moment, to the millisecond: rows share a time, and the next subscription's differs.
      await assign(prisma, subscription.id, people.slice(i * 8, i * 8 + size), new Date(Date.UTC(2026, 5, 2, 10, 0, 0, 7 + i * 111)));
      ids.push(subscription.id);
    }
    const elsewhere = await aSubscription(prisma, { productId: other.id });
    await assign(prisma, elsewhere.id, people.slice(0, 3));
    await prisma.licenseAssignment.updateMany({ where: { subscriptionId: ids[2]!, userId: people[16]! }, data: { removedAt: new Date() } });
    const expected = await prisma.licenseAssignment.findMany({
      where: { removedAt: null, subscription: { productId: product.id } },
      orderBy: [{ subscriptionId: 'asc' }, { id: 'asc' }],
      select: { subscriptionId: true, assignedAt: true, user: { select: { name: true, email: true } } },
    });

    const batches: number[] = [];
    const rows = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 5)) {
      batches.push(batch.length);
      rows.push(...batch);
    }

    expect(rows.map((r) => ({ subscriptionId: r.subscriptionId, assignedAt: r.assignedAt, user: { name: r.userName, email: r.userEmail } }))).toEqual(expected);
    expect(expected).toHaveLength(27);
    expect(batches).toEqual([5, 5, 5, 5, 5, 2]);
    expect(rows.find((r) => r.subscriptionId === ids[0])).toMatchObject({ purchaser: null });
    expect(rows.find((r) => r.subscriptionId === ids[1 + 2])).toMatchObject({ purchaser: { name: 'Ana Lopez', email: 'ana@contoso.com' } });

    // Fetched 10 at a time (7, rounded up to whole batches), handed over 5 at a time.
    const again: typeof rows = [];
    const sizes: number[] = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 5, { fetchRows: 7 })) {
      sizes.push(batch.length);
      again.push(...batch);
    }
    expect(sizes).toEqual(batches);
    expect(again).toEqual(rows);

    const some = [];
    for await (const batch of readExportRows(prisma, { subscriptionIds: [ids[4]!, ids[3]!, elsewhere.id] }, 4)) some.push(...batch);
    expect(some.map((r) => r.subscriptionId).sort()).toEqual([...Array(8).fill(ids[4]), ids[3], ...Array(3).fill(elsewhere.id)].sort());
  });

  it('lets a caller stop after a batch while the next one is already asked for, and read the scope again whole', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const subscription = await aSubscription(prisma, { productId: product.id });
    await assign(prisma, subscription.id, await manyPeople(prisma, 12));

    const seen: number[] = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 5, { fetchRows: 5 })) {
      seen.push(batch.length);
      break;
    }
    const again = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 5, { fetchRows: 5 })) again.push(batch.length);

    expect(seen).toEqual([5]);
    expect(again).toEqual([5, 5, 2]);
  });

  it('reads the licenses as they were when it began, while the bot writes meanwhile', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const first = await aSubscription(prisma, { productId: product.id });
    const second = await aSubscription(prisma, { productId: product.id });
    const [early, late] = [first, second].sort((a, b) => (a.id < b.id ? -1 : 1));
    const people = await manyPeople(prisma, 12);
    await assign(prisma, early!.id, people.slice(0, 4));
    await assign(prisma, late!.id, people.slice(4, 8));

    const rows = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 3, { fetchRows: 3 })) {
      if (rows.length === 0) {
        // After the first batch: a license added to the later subscription, one removed from it.
        await assign(prisma, late!.id, people.slice(8, 9));
        await prisma.licenseAssignment.updateMany({ where: { subscriptionId: late!.id, userId: people[4]! }, data: { removedAt: new Date() } });
      }
      rows.push(...batch);
    }

    expect(rows.map((r) => r.subscriptionId)).toEqual([...Array(4).fill(early!.id), ...Array(4).fill(late!.id)]);
    const names = rows.map((r) => r.userName);
    expect(names).toContain('User 0004'); // removed after the export began
    expect(names).not.toContain('User 0008'); // added after the export began
    const after = [];
    for await (const batch of readExportRows(prisma, { productId: product.id }, 3)) after.push(...batch);
    expect(after).toHaveLength(8);
    expect(after.filter((r) => r.subscriptionId === late!.id)).toHaveLength(4);
  });

  it.runIf(provider === 'postgresql')('fails, without ending the process, when its connection is cut between two batches', async () => {
    const prisma = database.prisma;
    const product = await aProduct(prisma);
    const subscription = await aSubscription(prisma, { productId: product.id });
    await assign(prisma, subscription.id, await manyPeople(prisma, 12));

    const rows = readExportRows(prisma, { productId: product.id }, 3, { fetchRows: 3 });
    expect((await rows.next()).value).toHaveLength(3);
    // The server ends the export's connection (a restart, a network cut) while the caller writes a batch.
    const [ended] = await prisma.$queryRawUnsafe<Array<{ pid: number }>>(
      `SELECT pid FROM pg_stat_activity WHERE query LIKE 'FETCH%export_rows%' AND pid <> pg_backend_pid()`,
    );
    await prisma.$queryRawUnsafe(`SELECT pg_terminate_backend(${Number(ended!.pid)})`);
    while ((await prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_stat_activity WHERE pid = ${Number(ended!.pid)}`)).length > 0);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));

    await expect(
      (async () => {
        for (;;) if ((await rows.next()).done) return;
      })(),
    ).rejects.toThrow();
  });

  it('refuses a batch that is not a whole number of rows', () => {
    expect(() => readExportRows(database.prisma, { productId: 'P' }, 0)).toThrow(RangeError);
  });
});
