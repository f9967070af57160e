import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/errors.js';
import { createTestDatabase, testProviders, type Database } from '../support/database.js';

describe.each(testProviders)('isUniqueViolation on %s', (provider) => {
  let database: Database;
  beforeEach(async () => {
    database = await createTestDatabase(provider);
    await database.prisma.jobState.create({ data: { key: 'digest', value: '1', updatedAt: new Date() } });
  });
  afterEach(async () => {
    await database.close();
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
});

describe('isUniqueViolation', () => {
  it('says no to what is not a database error, without throwing', () => {
    for (const thrown of [undefined, null, 'P2002', 2002, new Error('P2002')]) {
      expect(isUniqueViolation(thrown)).toBe(false);
    }
  });
});
