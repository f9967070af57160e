/**
 * The tenant's directory and license changes over Microsoft Graph: the TenantDirectory and
 * TenantLicenses ports (src/tenant/port.ts) for TENANT=microsoft.
 */
import type { TenantDirectory, TenantLicenses } from '../port.js';
import type { GraphClient } from './graph-client.js';

export function createMicrosoftTenantDirectory(client: GraphClient): TenantDirectory {
  return {
    async readSnapshot() {
      const [skus, subscriptions, users] = await Promise.all([client.listSubscribedSkus(), client.listSubscriptions(), client.listUsers()]);
      return {
        skus: skus.items,
        subscriptions: subscriptions.items,
        users: users.items,
        skipped: [...skus.skipped, ...subscriptions.skipped, ...users.skipped],
      };
    },
  };
}

export function createMicrosoftTenantLicenses(client: GraphClient): TenantLicenses {
  return {
    changeLicenses: (change) => client.assignLicense(change),
    async seats(skuId) {
      const wanted = skuId.toLowerCase();
      const sku = (await client.listSubscribedSkus()).items.find((item) => item.skuId === wanted);
      return sku && { enabledUnits: sku.enabledUnits, consumedUnits: sku.consumedUnits };
    },
  };
}
