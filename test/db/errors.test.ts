import { beforeEach, describe, expect, it } from 'vitest';
import { insertedFirst, isUniqueViolation } from '../../src/db/errors.js';
import { dialectProviders, useTestDatabase } from '../support/database.js';

describe.each(dialectProviders)('isUniqueViolation on %s', (provider) => {
  const database = useTestDatabase(provider);
  beforeEach(async () => {
    await database.prisma.jobState.create({ data: { key: 'digest', value: '1', updatedAt: new Date() } });
  });

  it('recognises an insert of a key that is already there', async () => {
    const insert = database.prisma.jobState.create({ data: { key: 'digest', value: '2', updatedAt: new Date() } });

    await expect(insert).rejects.toSatisfy(isUniqueViolation);
  });

  it('recognises it when the insert ran in a transaction', async () => {
    const transaction = database.prisma.$transaction(async (tx) => {
      await tx.jobState.create({ data: { key: 'digest', value: '2', updatedAt: new Date() } });
    });

    await expect(transaction).rejects.toSatisfy(isUniqueViolation);
  });

  it('does not take another constraint failure for one', async () => {
    const insert = database.prisma.licenseAssignment.create({
      data: { id: 'a1', subscriptionId: 'missing', userId: 'missing', assignedAt: new Date() },
    });

    await expect(insert).rejects.toSatisfy((error: unknown) => !isUniqueViolation(error));
  });

  it('tells an insert that took the key from one that found it taken', async () => {
    const insert = (key: string) => () => database.prisma.jobState.create({ data: { key, value: '2', updatedAt: new Date() } });

    expect(await insertedFirst(insert('reminders'))).toBe(true);
    expect(await insertedFirst(insert('digest'))).toBe(false);
    expect(await database.prisma.jobState.findMany({ orderBy: { key: 'asc' }, select: { key: true, value: true } })).toEqual([
      { key: 'digest', value: '1' },
      { key: 'reminders', value: '2' },
    ]);
  });

  it('lets any other failure of the insert through', async () => {
    const insert = () =>
      database.prisma.licenseAssignment.create({
        data: { id: 'a1', subscriptionId: 'missing', userId: 'missing', assignedAt: new Date() },
      });

    await expect(insertedFirst(insert)).rejects.toMatchObject({ code: 'P2003' });
  });
});

describe('isUniqueViolation', () => {
  it('says no to what is not a database error, without throwing', () => {
    for (const thrown of [undefined, null, 'P2002', 2002, new Error('P2002')]) {
      expect(isUniqueViolation(thrown)).toBe(false);
    }
  });
});
