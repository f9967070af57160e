/**
 * The policy part of the tenant port when the database is the tenant: a product's value is
 * Product.policyValue. Offer types refuse trials here as they do at Microsoft, so both
 * adapters answer the same request the same way.
 */
import type { PrismaClient } from '../../db/client.js';
import { AppError } from '../../domain/errors.js';
import { isPolicyValue, type PolicyValue } from '../../domain/policy.js';
import type { PolicyTenant, TenantPolicy } from '../port.js';

type ProductRow = { id: string; kind: string; name: string; policyValue: string };

function toPolicy(row: ProductRow): TenantPolicy {
  if (!isPolicyValue(row.policyValue)) {
    throw new Error(`Product ${row.id} holds an unknown policy value ${row.policyValue}`);
  }
  return { id: row.id, kind: row.kind === 'offerType' ? 'offerType' : 'product', name: row.name, value: row.policyValue };
}

const columns = { id: true, kind: true, name: true, policyValue: true } as const;

export function createLocalPolicyTenant(prisma: PrismaClient): PolicyTenant {
  async function find(id: string, kind: TenantPolicy['kind']): Promise<ProductRow> {
    const row = await prisma.product.findFirst({ where: { id, kind }, select: columns });
    if (!row) {
      throw new AppError(
        'not_found',
        `No ${kind} ${id} in the local tenant`,
        `There is no ${kind === 'offerType' ? 'offer type' : 'product'} \`${id}\` in the tenant.`,
      );
    }
    return row;
  }

  return {
    async listPolicies() {
      const rows = await prisma.product.findMany({
        where: { kind: { in: ['product', 'offerType'] } },
        select: columns,
        orderBy: [{ kind: 'desc' }, { name: 'asc' }],
      });
      return rows.map(toPolicy);
    },

    async getPolicy(id, kind) {
      return toPolicy(await find(id, kind));
    },

    async setPolicy(id, kind, value: PolicyValue) {
      const row = await find(id, kind);
      if (kind === 'offerType' && value === 'OnlyTrialsWithoutPaymentMethod') {
        throw new AppError(
          'bad_input',
          `Refused ${value} for offer type ${id}`,
          `${id} is a third-party offer type: it takes only Enabled or Disabled, not trials without a payment method.`,
        );
      }
      await prisma.product.update({ where: { id: row.id }, data: { policyValue: value } });
      return toPolicy({ ...row, policyValue: value });
    },
  };
}
