import { describe, expect, it } from 'vitest';
import { SKU_CATALOG, skuByPartNumber, skuBySkuId, skuName, skusOfProduct } from '../../src/domain/sku-catalog.js';
import { DEMO_CATALOGUE } from '../../src/tenant/local/demo-tenant.js';

describe('the SKU catalog', () => {
  it('finds Power BI Pro by its Graph skuId in any case, and by its part number', () => {
    expect(skuBySkuId('F8A1DB68-BE16-40ED-86D5-CB42CE701560')).toMatchObject({ name: 'Power BI Pro', productId: 'CFQ7TTC0H9MP' });
    expect(skuByPartNumber('power_bi_pro')?.skuId).toBe('f8a1db68-be16-40ed-86d5-cb42ce701560');
  });

  it('shows a SKU it does not know by the part number Graph gave', () => {
    const unknown = { skuId: '11111111-0000-0000-0000-000000000000', skuPartNumber: 'SOME_NEW_SKU' };

    expect(skuBySkuId(unknown.skuId)).toBeUndefined();
    expect(skuName(unknown)).toBe('SOME_NEW_SKU');
    expect(skuName({ skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT' })).toBe('Visio Plan 2');
  });

  it('lists every SKU of a product, the department SKU beside the usual one', () => {
    expect(skusOfProduct('cfq7ttc0h9mp').map((sku) => sku.skuPartNumber)).toEqual(['POWER_BI_PRO', 'POWER_BI_PRO_DEPT']);
  });

  it('holds each skuId and part number once, as lower-case GUIDs', () => {
    const ids = SKU_CATALOG.map((sku) => sku.skuId);
    const parts = SKU_CATALOG.map((sku) => sku.skuPartNumber.toLowerCase());

    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(parts).size).toBe(parts.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('ties SKUs only to ProductIds of the self-service catalogue, under the names admins know there', () => {
    const catalogue = new Map<string, string>(DEMO_CATALOGUE.map((product) => [product.id, product.name]));

    for (const sku of SKU_CATALOG.filter((entry) => entry.productId !== undefined)) {
      expect(catalogue.get(sku.productId ?? ''), sku.skuPartNumber).toBe(sku.name);
    }
  });
});
