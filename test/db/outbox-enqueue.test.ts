import { describe, expect, it } from 'vitest';
import { writeJobState } from '../../src/db/repositories/job-state.js';
import { enqueueOutbox } from '../../src/db/repositories/outbox.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';
import { holdOpen, untilWaitingOnLock } from '../support/transactions.js';

const now = new Date('2026-11-25T09:00:00Z');
const message = (dedupeKey: string) => ({ kind: 'post', dedupeKey, payload: { channel: 'C0ADMINS01', text: 'hello' }, now });

describe.each(dialectProviders)('storing a message for delivery on %s', (provider) => {
  const database = useTestDatabase(provider);

  it('stores a key once, and says whether this call stored it', async () => {
    expect(await enqueueOutbox(database.prisma, message('k1'))).toBe(true);
    expect(await enqueueOutbox(database.prisma, message('k1'))).toBe(false);
    expect(await database.prisma.outboxMessage.count()).toBe(1);
  });

  it.runIf(provider === 'postgresql')('leaves the caller’s transaction whole when another one stores the same key at the same moment', async () => {
    const prisma = database.prisma;
    const one = await holdOpen(prisma, (tx) => enqueueOutbox(tx, message('same')));
    const two = prisma.$transaction(async (tx) => {
      const mine = await enqueueOutbox(tx, message('same'));
      // The caller goes on writing in the same transaction.
      await writeJobState(tx, 'after.enqueue', 'written', now);
      return mine;
    });
    await untilWaitingOnLock(prisma, ['OutboxMessage']);

    expect(await Promise.all([one.commit(), two])).toEqual([true, false]);
    expect(await prisma.outboxMessage.count()).toBe(1);
    expect(await prisma.jobState.findUnique({ where: { key: 'after.enqueue' } })).toMatchObject({ value: 'written' });
  });
});
