import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportUsers, writeCsv } from '../../src/services/export-users.js';
import { aPerson, aProduct, aSubscription, assign } from '../support/builders.js';
import { dialectProviders, useServiceContext } from '../support/database.js';

const now = new Date('2026-11-25T09:00:00Z');
const actor = { slackUserId: 'U0ADMIN001' };

describe.each(dialectProviders)('exporting licensed users on %s', (provider) => {
  const { database, ctx } = useServiceContext(provider, { now, timeZone: 'Europe/Berlin' });

  it('writes an RFC 4180 CSV with neutralised formulas, and audits the export', async () => {
    const product = await aProduct(database.prisma, { name: 'Visio Plan 2' });
    const buyer = await aPerson(database.prisma, { name: 'Lopez, Ana', email: 'ana.lopez@contoso.com' });
    const sneaky = await aPerson(database.prisma, { name: '=HYPERLINK("http://evil")', email: 'x@contoso.com' });
    const quoted = await aPerson(database.prisma, { name: 'Jo "JJ" Smith', email: 'jo@contoso.com' });
    const subscription = await aSubscription(database.prisma, {
      id: '11111111-2222-4333-8444-555555555555',
      productId: product.id,
      purchaserId: buyer.id,
    });
    await assign(database.prisma, subscription.id, [sneaky.id, quoted.id], new Date('2026-06-02T10:00:00Z'));

    const csv = await exportUsers(ctx, actor, { kind: 'product', product: 'visio plan 2' });
    const text = await readFile(csv.path, 'utf8');
    await csv.dispose();

    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Subscription id,Product,Purchaser,User name,Email / UPN,Assigned at');
    expect(lines).toContain(
      `11111111-2222-4333-8444-555555555555,Visio Plan 2,"Lopez, Ana <ana.lopez@contoso.com>","'=HYPERLINK(""http://evil"")",x@contoso.com,2026-06-02 12:00`,
    );
    expect(lines).toContain(
      `11111111-2222-4333-8444-555555555555,Visio Plan 2,"Lopez, Ana <ana.lopez@contoso.com>","Jo ""JJ"" Smith",jo@contoso.com,2026-06-02 12:00`,
    );
    expect(csv.rows).toBe(2);
    expect(csv.filename).toBe('licensed-users-visio-plan-2-2026-11-25.csv');
    expect(existsSync(csv.path)).toBe(false);
    const audit = await database.prisma.auditEvent.findMany({ where: { action: 'export.users' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'U0ADMIN001', outcome: 'ok' });
  });

  it("writes each subscription's own purchaser and each license's own time, row after row", async () => {
    const product = await aProduct(database.prisma, { name: 'Visio Plan 2' });
    const evil = await aPerson(database.prisma, { name: '@Evil Buyer', email: 'evil@contoso.com' });
    const [ana, bo, cy] = await Promise.all(['Ana', 'Bo', 'Cy'].map((name) => aPerson(database.prisma, { name, email: `${name.toLowerCase()}@contoso.com` })));
    const central = await aSubscription(database.prisma, {
      id: '11111111-0000-4000-8000-000000000001',
      productId: product.id,
      purchaserId: null,
      isSelfService: false,
    });
    const bought = await aSubscription(database.prisma, { id: '11111111-0000-4000-8000-000000000002', productId: product.id, purchaserId: evil.id });
    await assign(database.prisma, central.id, [ana!.id], new Date('2026-06-02T10:00:00Z'));
    await assign(database.prisma, central.id, [bo!.id], new Date('2026-06-03T07:30:00Z'));
    await assign(database.prisma, bought.id, [cy!.id], new Date('2026-06-03T07:30:00Z'));
    await assign(database.prisma, bought.id, [ana!.id], new Date('2026-06-02T10:00:00Z'));

    const csv = await exportUsers(ctx, actor, { kind: 'product', product: 'Visio Plan 2' });
    const lines = (await readFile(csv.path, 'utf8')).split('\r\n');
    await csv.dispose();

    expect(lines.slice(1).sort()).toEqual(
      [
        '',
        '11111111-0000-4000-8000-000000000001,Visio Plan 2,Central subscription,Ana,ana@contoso.com,2026-06-02 12:00',
        '11111111-0000-4000-8000-000000000001,Visio Plan 2,Central subscription,Bo,bo@contoso.com,2026-06-03 09:30',
        "11111111-0000-4000-8000-000000000002,Visio Plan 2,'@Evil Buyer <evil@contoso.com>,Ana,ana@contoso.com,2026-06-02 12:00",
        "11111111-0000-4000-8000-000000000002,Visio Plan 2,'@Evil Buyer <evil@contoso.com>,Cy,cy@contoso.com,2026-06-03 09:30",
      ].sort(),
    );
  });

  it('reads every row across batches and leaves out removed licenses', async () => {
    const product = await aProduct(database.prisma);
    const subscription = await aSubscription(database.prisma, { productId: product.id, licensesPurchased: 3000 });
    const people = Array.from({ length: 2500 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `User ${i}`,
      email: `user.${i}@contoso.test`,
    }));
    await database.prisma.person.createMany({ data: people });
    await assign(
      database.prisma,
      subscription.id,
      people.map((p) => p.id),
    );
    await database.prisma.licenseAssignment.updateMany({ where: { userId: people[7]!.id }, data: { removedAt: now } });

    const csv = await exportUsers(ctx, actor, { kind: 'subscriptions', refs: [subscription.id.slice(0, 8)] });
    const text = await readFile(csv.path, 'utf8');
    await csv.dispose();
    const emails = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[4]);
    expect(csv.rows).toBe(2499);
    expect(new Set(emails).size).toBe(2499);
    expect(emails).not.toContain('user.7@contoso.test');
  });
});

describe('writing the CSV through two buffers that take turns', () => {
  async function written(texts: string[], bufferBytes: number, fail?: Error): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'csv-write-'));
    const path = join(dir, 'out.csv');
    async function* source() {
      for (const text of texts) yield text;
      if (fail) throw fail;
    }
    try {
      await writeCsv(path, source(), bufferBytes);
      return await readFile(path, 'utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('writes every text whole and in order, across buffers filled many times, splitting no character', async () => {
    // Two-, three- and four-byte characters land on every buffer boundary of 7 bytes.
    const texts = ['Subscription id,Product\r\n', ...Array.from({ length: 200 }, (_, i) => `${i},Zoë 🧾 Ōsaka – ${'x'.repeat(i % 13)}\r\n`), '', 'end'];
    expect(await written(texts, 7)).toBe(texts.join(''));
    expect(await written(texts, 1024 * 1024)).toBe(texts.join(''));
  });

  it('passes on a failure of the text, with the file closed', async () => {
    await expect(written(['a,b\r\n'.repeat(100)], 16, new Error('the rows stopped'))).rejects.toThrow('the rows stopped');
  });
});

describe.runIf(process.platform === 'linux')('writing the CSV to a disk that fails', () => {
  it('reports the failed write as the export’s error, even when it fails while the rows are still being read', async () => {
    async function* source() {
      yield 'x'.repeat(20); // one buffer of 16 bytes filled and handed to the disk, 4 bytes in the next
      // The rows take a while to come: the write of the first buffer fails meanwhile.
      for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
      yield 'y'.repeat(64);
    }
    // /dev/full takes every write with "no space left on device".
    await expect(writeCsv('/dev/full', source(), 16)).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
