/** Products and people: small, read whole for loose matching by name. */
import type { PrismaClient } from '../client.js';

export function listProducts(prisma: PrismaClient, kind: 'product' | 'offerType' = 'product') {
  return prisma.product.findMany({ where: { kind }, select: { id: true, name: true, policyValue: true }, orderBy: { name: 'asc' } });
}

/** People who bought at least one subscription. */
export function listPurchasers(prisma: PrismaClient) {
  return prisma.person.findMany({
    where: { purchases: { some: {} } },
    select: { id: true, name: true, email: true },
    orderBy: { name: 'asc' },
  });
}
