/** AllowSelfServicePurchase values exactly as Microsoft names them. */
export const POLICY_VALUES = ['Enabled', 'OnlyTrialsWithoutPaymentMethod', 'Disabled'] as const;
export type PolicyValue = (typeof POLICY_VALUES)[number];

/** Third-party offer types: they take only Enabled or Disabled. */
export const OFFER_TYPES = ['SaaS', 'POWERBIVISUALS', 'DYNAMICSCE', 'DYNAMICSBC'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];
