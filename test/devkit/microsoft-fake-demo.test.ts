import { describe, expect, it } from 'vitest';
import { DEMO_GROUP_ID, demoGraphTenant } from '../../src/devkit/microsoft-fake/index.js';

describe('the demo tenant of the Microsoft fake', () => {
  const tenant = demoGraphTenant(new Date('2025-06-02T09:00:00Z'));
  const userIds = new Set(tenant.users.map((user) => user.id));

  it('has self-service subscriptions owned by its users and one central subscription', () => {
    const owned = tenant.subscriptions.filter((subscription) => subscription.ownerType === 'User');

    expect(owned.length).toBeGreaterThanOrEqual(3);
    expect(owned.every((subscription) => subscription.ownerId !== null && userIds.has(subscription.ownerId))).toBe(true);
    expect(tenant.subscriptions.filter((subscription) => subscription.ownerId === null)).toHaveLength(1);
  });

  it("pools each SKU's seats from its subscriptions and never holds more licenses than seats", () => {
    for (const sku of tenant.skus) {
      const subscriptions = tenant.subscriptions.filter((subscription) => subscription.skuId === sku.skuId);
      const holders = tenant.users.filter((user) => user.assignedLicenses.some((license) => license.skuId === sku.skuId));

      expect(sku.subscriptionIds).toEqual(subscriptions.map((subscription) => subscription.commerceSubscriptionId));
      expect(sku.prepaidUnits.enabled).toBe(subscriptions.reduce((sum, subscription) => sum + subscription.totalLicenses, 0));
      expect(holders.length).toBeLessThanOrEqual(sku.prepaidUnits.enabled);
    }
  });

  it('has a holder whose license comes from a group', () => {
    const viaGroup = tenant.users.filter((user) => user.licenseAssignmentStates.some((state) => state.assignedByGroup === DEMO_GROUP_ID));

    expect(viaGroup).toHaveLength(1);
  });
});
