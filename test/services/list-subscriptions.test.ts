import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { listSubscriptions, PAGE_SIZE, TOTAL_CAP } from '../../src/services/list-subscriptions.js';
import { aPerson, aProduct, aSubscription, manySubscriptions } from '../support/builders.js';
import { dialectProviders, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');

describe.each(dialectProviders)('listing subscriptions on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now });

  it('pages through every subscription newest first, without gaps or repeats, and back again', async () => {
    const product = await aProduct(database.prisma, { name: 'Power BI Pro', id: 'CFQ7TTC0H9MP' });
    const buyer = await aPerson(database.prisma);
    // 45 subscriptions, several sharing a purchase instant so the id breaks ties.
    for (let i = 0; i < 45; i += 1) {
      await aSubscription(database.prisma, {
        productId: product.id,
        purchaserId: buyer.id,
        purchasedAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 3))),
      });
    }
    const first = await listSubscriptions(ctx, { filters: { status: 'active' } });
    expect(first.total).toBe(45);
    expect(first.totalCapped).toBe(false);
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first.prevCursor).toBeUndefined();
    const second = await listSubscriptions(ctx, { cursor: first.nextCursor! });
    const third = await listSubscriptions(ctx, { cursor: second.nextCursor! });
    expect(third.items).toHaveLength(5);
    expect(third.nextCursor).toBeUndefined();
    const all = [...first.items, ...second.items, ...third.items];
    expect(new Set(all.map((s) => s.id)).size).toBe(45);
    const times = all.map((s) => s.purchasedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const backToSecond = await listSubscriptions(ctx, { cursor: third.prevCursor! });
    expect(backToSecond.items.map((s) => s.id)).toEqual(second.items.map((s) => s.id));
    const backToFirst = await listSubscriptions(ctx, { cursor: backToSecond.prevCursor! });
    expect(backToFirst.items.map((s) => s.id)).toEqual(first.items.map((s) => s.id));
    expect(backToFirst.prevCursor).toBeUndefined();
    expect(backToFirst.nextCursor).toBeDefined();
  });

  it('keeps pages exact where a page boundary falls among purchases of the same instant', async () => {
    const product = await aProduct(database.prisma);
    const buyer = await aPerson(database.prisma);
    // 41 purchases: one newer, then 40 of one instant, so both boundaries (20, 40) fall inside the tie.
    const tie = new Date('2026-05-05T05:05:05.005Z');
    await manySubscriptions(database.prisma, 41, (i) => ({
      productId: product.id,
      purchaserId: buyer.id,
      purchasedAt: i === 0 ? new Date('2026-06-01T00:00:00Z') : tie,
      id: `00000000-0000-4000-8000-${String(1000 - i).padStart(12, '0')}`,
    }));
    const pages = [await listSubscriptions(ctx, { filters: { status: 'active' } })];
    while (pages.at(-1)!.nextCursor) pages.push(await listSubscriptions(ctx, { cursor: pages.at(-1)!.nextCursor! }));
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 1]);
    const forward = pages.flatMap((p) => p.items.map((s) => s.id));
    // Newest first, then by id, descending, within the tie.
    expect(forward).toEqual(Array.from({ length: 41 }, (_, i) => `00000000-0000-4000-8000-${String(1000 - i).padStart(12, '0')}`));

    const back = [await listSubscriptions(ctx, { cursor: pages[2]!.prevCursor! })];
    back.push(await listSubscriptions(ctx, { cursor: back[0]!.prevCursor! }));
    expect(back.map((p) => p.items.map((s) => s.id))).toEqual([pages[1]!.items.map((s) => s.id), pages[0]!.items.map((s) => s.id)]);
    expect(back[1]!.prevCursor).toBeUndefined();
  });

  it('counts the matching subscriptions up to a cap and says there are more, instead of counting them all', async () => {
    const product = await aProduct(database.prisma);
    const buyer = await aPerson(database.prisma);
    await manySubscriptions(database.prisma, TOTAL_CAP + 5, () => ({ productId: product.id, purchaserId: buyer.id }));
    const page = await listSubscriptions(ctx, { filters: { status: 'active' } });
    expect(page).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(page.items).toHaveLength(PAGE_SIZE);
    const deleted = await listSubscriptions(ctx, { filters: { status: 'deleted' } });
    expect(deleted).toMatchObject({ total: 0, totalCapped: false });
  });

  it('filters by product, purchaser, status and expiry, and keeps the filters across pages', async () => {
    const pbi = await aProduct(database.prisma, { name: 'Power BI Pro', id: 'CFQ7TTC0H9MP' });
    const visio = await aProduct(database.prisma, { name: 'Visio Plan 2', id: 'CFQ7TTC0HD32' });
    const ana = await aPerson(database.prisma, { name: 'Ana López', email: 'ana.lopez@contoso.com' });
    const bo = await aPerson(database.prisma, { name: 'Bo Chen', email: 'bo.chen@contoso.com' });
    const soon = await aSubscription(database.prisma, { productId: pbi.id, purchaserId: ana.id, expiresAt: new Date('2026-12-01T00:00:00Z') });
    await aSubscription(database.prisma, { productId: pbi.id, purchaserId: bo.id, expiresAt: new Date('2027-05-01T00:00:00Z') });
    await aSubscription(database.prisma, { productId: visio.id, purchaserId: ana.id });
    const cancelled = await aSubscription(database.prisma, { productId: pbi.id, purchaserId: ana.id, status: 'Deleted' });
    await aSubscription(database.prisma, { productId: pbi.id, purchaserId: null, isSelfService: false, licensesPurchased: 500 });

    const ids = async (filters: Parameters<typeof listSubscriptions>[1]) => (await listSubscriptions(ctx, filters)).items.map((s) => s.id).sort();

    expect(await ids({ filters: { status: 'active', product: 'bi pro' } })).toHaveLength(2);
    expect(await ids({ filters: { status: 'active', purchaser: 'ANA' } })).toHaveLength(2);
    expect(await ids({ filters: { status: 'active', purchaser: 'Ana López' } })).toHaveLength(2);
    expect(await ids({ filters: { status: 'active', purchaser: 'ANA LÓPEZ' } })).toHaveLength(2);
    expect(await ids({ filters: { status: 'active', purchaser: 'ANA.LOPEZ@CONTOSO.COM' } })).toHaveLength(2);
    expect(await ids({ filters: { status: 'active', purchaser: 'contoso.com' } })).toHaveLength(3);
    expect(await ids({ filters: { status: 'all', purchaser: 'contoso.com', product: 'bi pro' } })).toHaveLength(3);
    expect(await ids({ filters: { status: 'active', purchaser: 'ana.lopez@contoso.com', product: 'power bi' } })).toEqual([soon.id]);
    expect(await ids({ filters: { status: 'deleted' } })).toEqual([cancelled.id]);
    expect(await ids({ filters: { status: 'all' } })).toHaveLength(4);
    expect(await ids({ filters: { status: 'active', expiringDays: 30 } })).toEqual([soon.id]);
  });

  it('finds a purchaser by the start of each word typed, in any case and with or without accents, not by the middle of a word', async () => {
    const product = await aProduct(database.prisma);
    const meera = await aPerson(database.prisma, { name: 'Meera Desai', email: 'meera.desai@contoso.com' });
    const emile = await aPerson(database.prisma, { name: 'Émile Durand-Lévêque', email: 'e.durand@fabrikam.fr' });
    const meeran = await aPerson(database.prisma, { name: 'Meeran Shah', email: 'meeran.shah@contoso.com' });
    // Two words starting with `dev`: listed once.
    const dev = await aPerson(database.prisma, { name: 'Dev Devaraj', email: 'dev.devaraj@contoso.com' });
    // Has the words, bought nothing.
    await aPerson(database.prisma, { name: 'Meera Nobuy', email: 'meera.nobuy@contoso.com' });
    const bought = new Map<string, string>();
    for (const person of [meera, emile, meeran, dev])
      bought.set((await aSubscription(database.prisma, { productId: product.id, purchaserId: person.id })).id, person.name);
    const names = async (purchaser: string) =>
      (await listSubscriptions(ctx, { filters: { status: 'active', purchaser } })).items.map((s) => bought.get(s.id)).sort();

    expect(await names('desai')).toEqual(['Meera Desai']);
    expect(await names('meera')).toEqual(['Meera Desai', 'Meeran Shah']);
    expect(await names('"meera des"')).toEqual(['Meera Desai']);
    expect(await names('meera shah')).toEqual(['Meeran Shah']);
    expect(await names('DES MEE')).toEqual(['Meera Desai']);
    expect(await names('meera.desai@contoso')).toEqual(['Meera Desai']);
    expect(await names('fabrikam')).toEqual(['Émile Durand-Lévêque']);
    expect(await names('dev')).toEqual(['Dev Devaraj']);
    // Case and accents folded on both databases (SQLite's lower() alone folds ASCII only).
    expect(await names('ÉMILE')).toEqual(['Émile Durand-Lévêque']);
    expect(await names('emile leveque')).toEqual(['Émile Durand-Lévêque']);
    expect(await names('LÉVÊ')).toEqual(['Émile Durand-Lévêque']);
    // The middle of a word is not a start: the reply says what is matched.
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'esai' } })).rejects.toMatchObject({
      code: 'not_found',
      userMessage: expect.stringContaining('the start of each word of a name or email, e.g. `purchaser:desai`'),
    });
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'desai shah' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'nobuy' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: '--' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'a b c d e f g h i' } })).rejects.toMatchObject({
      code: 'bad_input',
      userMessage: expect.stringContaining('takes up to 8'),
    });
    // A purchaser who matches but has no subscription the other filters keep: an empty page, not an error.
    expect(await listSubscriptions(ctx, { filters: { status: 'deleted', purchaser: 'desai' } })).toMatchObject({ items: [], total: 0 });
  });

  it('finds the newest subscriptions of a purchaser with more than the cap even when newer ones of others come first', async () => {
    const product = await aProduct(database.prisma);
    const old = await aPerson(database.prisma, { name: 'Olga Matcher', email: 'olga@contoso.test' });
    const other = await aPerson(database.prisma, { name: 'Nina Newer', email: 'nina@contoso.test' });
    const minute = (base: string, i: number) => new Date(new Date(base).getTime() + i * 60_000);
    const olgas = await manySubscriptions(database.prisma, TOTAL_CAP + 30, (i) => ({
      productId: product.id,
      purchaserId: old.id,
      purchasedAt: minute('2025-01-01T00:00:00Z', i),
    }));
    // More newer purchases of someone else than the first statement reads in date order.
    await manySubscriptions(database.prisma, 2100, (i) => ({ productId: product.id, purchaserId: other.id, purchasedAt: minute('2026-01-01T00:00:00Z', i) }));

    const first = await listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'matcher' } });
    expect(first).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    const second = await listSubscriptions(ctx, { cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([...olgas].reverse().slice(0, 2 * PAGE_SIZE));
    // Previous reads the other way (oldest first from its anchor) and comes back to the first page.
    const back = await listSubscriptions(ctx, { cursor: second.prevCursor! });
    expect(back).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(back.items.map((s) => s.id)).toEqual(first.items.map((s) => s.id));
  });

  it('says so when no purchaser matches, and lists candidates for an ambiguous product', async () => {
    await aProduct(database.prisma, { name: 'Visio Plan 1', id: 'CFQ7TTC0HD33' });
    await aProduct(database.prisma, { name: 'Visio Plan 2', id: 'CFQ7TTC0HD32' });
    await expect(listSubscriptions(ctx, { filters: { status: 'active', purchaser: 'nobody' } })).rejects.toThrow(AppError);
    await expect(listSubscriptions(ctx, { filters: { status: 'active', product: 'visio' } })).rejects.toMatchObject({
      code: 'ambiguous',
    });
  });

  it('refuses a tampered cursor with a readable message', async () => {
    await expect(listSubscriptions(ctx, { cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'bad_input',
      userMessage: expect.stringContaining('Run `/purchases list` again'),
    });
  });
});
