/**
 * The policy part of the tenant port, over the licensing endpoint. Products and third-party
 * offer types share one list; offer types take only Enabled or Disabled, which is refused
 * here before Microsoft is asked.
 */
import { AppError } from '../../domain/errors.js';
import { OFFER_TYPES, type OfferType, type PolicyValue } from '../../domain/policy.js';
import type { PolicyTenant, TenantPolicy } from '../port.js';
import type { LicensingClient, OfferTypePolicyItem, ProductPolicyItem } from './licensing-client.js';

function fromProduct(item: ProductPolicyItem): TenantPolicy {
  return { id: item.productId, kind: 'product', name: item.productName, value: item.policyValue };
}

function fromOfferType(item: OfferTypePolicyItem): TenantPolicy {
  return { id: item.offerType, kind: 'offerType', name: item.offerType, value: item.policyValue };
}

function offerTypeOf(id: string): OfferType {
  const offerType = OFFER_TYPES.find((type) => type.toLowerCase() === id.toLowerCase());
  if (!offerType) {
    throw new AppError('bad_input', `Unknown offer type ${id}`, `${id} is not an offer type. The offer types are ${OFFER_TYPES.join(', ')}.`);
  }
  return offerType;
}

export function createMicrosoftPolicyTenant(client: LicensingClient): PolicyTenant {
  return {
    async listPolicies() {
      const [products, offerTypes] = await Promise.all([client.listProducts(), client.listOfferTypes()]);
      return [...products.map(fromProduct), ...offerTypes.map(fromOfferType)];
    },

    async getPolicy(id, kind) {
      if (kind === 'offerType') return fromOfferType(await client.getOfferType(offerTypeOf(id)));
      return fromProduct(await client.getProduct(id));
    },

    async setPolicy(id, kind, value: PolicyValue) {
      if (kind === 'product') return fromProduct(await client.putProduct(id, value));
      const offerType = offerTypeOf(id);
      if (value === 'OnlyTrialsWithoutPaymentMethod') {
        throw new AppError(
          'bad_input',
          `Refused ${value} for offer type ${offerType}`,
          `${offerType} is a third-party offer type: it takes only Enabled or Disabled, not trials without a payment method.`,
        );
      }
      return fromOfferType(await client.putOfferType(offerType, value));
    },
  };
}
