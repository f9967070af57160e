/** AllowSelfServicePurchase values exactly as Microsoft names them. */
export const POLICY_VALUES = ['Enabled', 'OnlyTrialsWithoutPaymentMethod', 'Disabled'] as const;
export type PolicyValue = (typeof POLICY_VALUES)[number];

/** A Microsoft product (by ProductId), or a third-party offer type. */
export type PolicyKind = 'product' | 'offerType';

/** Third-party offer types: they take only Enabled or Disabled. */
export const OFFER_TYPES = ['SaaS', 'POWERBIVISUALS', 'DYNAMICSCE', 'DYNAMICSBC'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** How admins say the values in Slack: short words, each standing for one Microsoft name. */
export const POLICY_WORDS = ['enabled', 'trials', 'disabled'] as const;
export type PolicyWord = (typeof POLICY_WORDS)[number];

const WORD_OF: Record<PolicyValue, PolicyWord> = {
  Enabled: 'enabled',
  OnlyTrialsWithoutPaymentMethod: 'trials',
  Disabled: 'disabled',
};

export function policyWord(value: PolicyValue): PolicyWord {
  return WORD_OF[value];
}

/** A short word or a Microsoft name, in any case; undefined when it is neither. */
export function parsePolicyValue(text: string): PolicyValue | undefined {
  const wanted = text.trim().toLowerCase();
  return POLICY_VALUES.find((value) => value.toLowerCase() === wanted || WORD_OF[value] === wanted);
}

export function isPolicyValue(text: string): text is PolicyValue {
  return (POLICY_VALUES as readonly string[]).includes(text);
}

/** Offer types take only Enabled or Disabled; products take all three values. */
export function allowedPolicyValues(kind: PolicyKind): readonly PolicyValue[] {
  return kind === 'offerType' ? ['Enabled', 'Disabled'] : POLICY_VALUES;
}

/** What a value allows future purchases, to end a sentence: "Power BI Pro now allows " + this. */
export function policyAllows(value: PolicyValue): string {
  switch (value) {
    case 'Enabled':
      return 'purchases and trials';
    case 'OnlyTrialsWithoutPaymentMethod':
      return 'trials only (free, without a payment method)';
    case 'Disabled':
      return 'no purchases and no trials';
  }
}

/** Who changed a policy when it was not an admin: outside the bot, or the policy guard. */
export const CHANGED_OUTSIDE = 'tenant';
export const CHANGED_BY_GUARD = 'guard';

/** A product's or offer type's policy as the bot's record holds it. */
export interface RecordedPolicy {
  id: string;
  kind: PolicyKind;
  name: string;
  value: PolicyValue;
  changedAt: Date | null;
  /** A Slack user id, CHANGED_OUTSIDE or CHANGED_BY_GUARD. */
  changedBy: string | null;
  firstSeenAt: Date;
}
