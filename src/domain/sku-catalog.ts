/**
 * The self-service products as Microsoft Graph names them: the skuId (subscribedSku.skuId,
 * assignedLicense.skuId) and skuPartNumber of each, under the name admins know and, where
 * known, the 12-character ProductId that the AllowSelfServicePurchase policy uses.
 *
 * Source of skuId, skuPartNumber and Microsoft's product name: Microsoft, "Product names and
 * service plan identifiers for licensing" (updated October 29, 2025),
 * https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference
 * The ProductIds are those the policy endpoint lists (README, "The demo tenant's products");
 * a SKU is tied to one where Microsoft's product name is that product (or its new name, noted).
 *
 * Several SKUs can be one product: a "Dept" (department) or "User-led" SKU beside the usual
 * one. Microsoft Purview Discovery and Python in Excel have no row in Microsoft's table and
 * are left out. A SKU not listed here stays usable: it is shown by its part number.
 */

export interface CatalogSku {
  /** GUID, lower case. */
  skuId: string;
  skuPartNumber: string;
  /** The name admins know the product by. */
  name: string;
  /** Microsoft's product name for this SKU in the table above. */
  microsoftName: string;
  /** The policy endpoint's ProductId, where the SKU is known to be that product. */
  productId?: string;
}

// biome-ignore format: a table, one SKU a row, reads down its columns
export const SKU_CATALOG: readonly CatalogSku[] = [
  { skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560', skuPartNumber: 'POWER_BI_PRO', name: 'Power BI Pro', microsoftName: 'Power BI Pro', productId: 'CFQ7TTC0H9MP' },
  { skuId: '3a6a908c-09c5-406a-8170-8ebb63c42882', skuPartNumber: 'POWER_BI_PRO_DEPT', name: 'Power BI Pro', microsoftName: 'Power BI Pro Dept', productId: 'CFQ7TTC0H9MP' },
  // "Power BI Premium" (CFQ7TTC0H6RP) is not tied to these: Microsoft's table has no SKU of that exact name.
  { skuId: 'c1d032e0-5619-4761-9b5c-75b6831e1711', skuPartNumber: 'PBI_PREMIUM_PER_USER', name: 'Power BI Premium Per User', microsoftName: 'Power BI Premium Per User' },
  { skuId: 'f168a3fb-7bcf-4a27-98c3-c235ea4b78b4', skuPartNumber: 'PBI_PREMIUM_PER_USER_DEPT', name: 'Power BI Premium Per User', microsoftName: 'Power BI Premium Per User Dept' },
  // Power Apps per user is now sold as Power Apps Premium.
  { skuId: 'b30411f5-fea1-4a59-9ad9-3db7c7ead579', skuPartNumber: 'POWERAPPS_PER_USER', name: 'Power Apps per user', microsoftName: 'Power Apps Premium', productId: 'CFQ7TTC0LH2H' },
  { skuId: '4a51bf65-409c-4a91-b845-1121b571cc9d', skuPartNumber: 'FLOW_PER_USER', name: 'Power Automate per user', microsoftName: 'Power Automate per user plan', productId: 'CFQ7TTC0LH3L' },
  { skuId: 'd80a4c5d-8f05-4b64-9926-6574b9e6aee4', skuPartNumber: 'FLOW_PER_USER_DEPT', name: 'Power Automate per user', microsoftName: 'Power Automate per user plan dept', productId: 'CFQ7TTC0LH3L' },
  // Power Automate per user with attended RPA is now sold as Power Automate Premium.
  { skuId: 'eda1941c-3c4f-4995-b5eb-e85a42175ab9', skuPartNumber: 'POWERAUTOMATE_ATTENDED_RPA', name: 'Power Automate RPA', microsoftName: 'Power Automate Premium', productId: 'CFQ7TTC0LSGZ' },
  { skuId: '53818b1b-4a27-454b-8896-0dba576410e6', skuPartNumber: 'PROJECTPROFESSIONAL', name: 'Project Plan 3', microsoftName: 'Planner and Project Plan 3', productId: 'CFQ7TTC0HDB0' },
  { skuId: '46102f44-d912-47e7-b0ca-1bd7b70ada3b', skuPartNumber: 'PROJECT_PLAN3_DEPT', name: 'Project Plan 3', microsoftName: 'Project Plan 3 (for Department)', productId: 'CFQ7TTC0HDB0' },
  { skuId: 'beb6439c-caad-48d3-bf46-0c82871e12be', skuPartNumber: 'PROJECT_P1', name: 'Planner Plan 1', microsoftName: 'Planner Plan 1', productId: 'CFQ7TTC0HDB1' },
  { skuId: '84cd610f-a3f8-4beb-84ab-d9d2c902c6c9', skuPartNumber: 'PROJECT_PLAN1_DEPT', name: 'Planner Plan 1', microsoftName: 'Project Plan 1 (for Department)', productId: 'CFQ7TTC0HDB1' },
  { skuId: '4b244418-9658-4451-a2b8-b5e2b364e9bd', skuPartNumber: 'VISIOONLINE_PLAN1', name: 'Visio Plan 1', microsoftName: 'Visio Plan 1', productId: 'CFQ7TTC0HD33' },
  { skuId: 'ca7f3140-d88c-455b-9a1c-7f0679e31a76', skuPartNumber: 'VISIO_PLAN1_DEPT', name: 'Visio Plan 1', microsoftName: 'Visio Plan 1', productId: 'CFQ7TTC0HD33' },
  { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT', name: 'Visio Plan 2', microsoftName: 'Visio Plan 2', productId: 'CFQ7TTC0HD32' },
  { skuId: '38b434d2-a15e-4cde-9a98-e737c75623e1', skuPartNumber: 'VISIO_PLAN2_DEPT', name: 'Visio Plan 2', microsoftName: 'Visio Plan 2', productId: 'CFQ7TTC0HD32' },
  { skuId: '639dec6b-bb19-468b-871c-c5c441c4b0cb', skuPartNumber: 'Microsoft_365_Copilot', name: 'Microsoft 365 Copilot', microsoftName: 'Copilot for Microsoft 365', productId: 'CFQ7TTC0MM8R' },
  { skuId: '710779e8-3d4a-4c88-adb9-386c958d1fdf', skuPartNumber: 'TEAMS_EXPLORATORY', name: 'Teams Exploratory', microsoftName: 'Microsoft Teams Exploratory', productId: 'CFQ7TTC0J1FV' },
  { skuId: 'e0dfc8b9-9531-4ec8-94b4-9fec23b05fc8', skuPartNumber: 'Microsoft_Teams_Exploratory_Dept', name: 'Teams Exploratory', microsoftName: 'Microsoft Teams Exploratory Dept', productId: 'CFQ7TTC0J1FV' },
  { skuId: '36a0f3b3-adb5-49ea-bf66-762134cf063a', skuPartNumber: 'Microsoft_Teams_Premium', name: 'Teams Premium Introductory Pricing', microsoftName: 'Microsoft Teams Premium Introductory Pricing', productId: 'CFQ7TTC0RM8K' },
  { skuId: '0fe440c5-f2bf-442b-a4f4-9a7af77a200b', skuPartNumber: 'Clipchamp_Premium', name: 'Clipchamp Premium', microsoftName: 'Clipchamp Premium', productId: 'CFQ7TTC0N8SS' },
  { skuId: '66b55226-6b4f-492c-910c-a3b7a3c9d993', skuPartNumber: 'SPE_F1', name: 'Microsoft 365 F3', microsoftName: 'Microsoft 365 F3', productId: 'CFQ7TTC0LH05' },
  { skuId: 'ba929637-f158-4dee-927c-eb7cdefcd955', skuPartNumber: 'Microsoft_Viva_Goals', name: 'Viva Goals', microsoftName: 'Microsoft Viva Goals', productId: 'CFQ7TTC0PW0V' },
  { skuId: '3a349c99-ffec-43d2-a2e8-6b97fcb71103', skuPartNumber: 'Viva_Goals_User_led', name: 'Viva Goals', microsoftName: 'Viva Goals User-led', productId: 'CFQ7TTC0PW0V' },
];

const bySkuId = new Map(SKU_CATALOG.map((sku) => [sku.skuId, sku]));
const byPartNumber = new Map(SKU_CATALOG.map((sku) => [sku.skuPartNumber.toLowerCase(), sku]));

/** The catalog entry of a Graph skuId, in any letter case. */
export function skuBySkuId(skuId: string): CatalogSku | undefined {
  return bySkuId.get(skuId.trim().toLowerCase());
}

/** The catalog entry of a part number such as POWER_BI_PRO, in any letter case. */
export function skuByPartNumber(partNumber: string): CatalogSku | undefined {
  return byPartNumber.get(partNumber.trim().toLowerCase());
}

/** Every SKU known to be the product with this ProductId. */
export function skusOfProduct(productId: string): CatalogSku[] {
  const wanted = productId.trim().toUpperCase();
  return SKU_CATALOG.filter((sku) => sku.productId === wanted);
}

/** What to call a SKU: the name admins know, or Graph's part number when the catalog lacks it. */
export function skuName(sku: { skuId: string; skuPartNumber: string }): string {
  return skuBySkuId(sku.skuId)?.name ?? sku.skuPartNumber;
}
