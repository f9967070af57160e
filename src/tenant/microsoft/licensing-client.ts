/**
 * The AllowSelfServicePurchase policy over the licensing endpoint that the MSCommerce
 * PowerShell module calls (https://licensing.m365.microsoft.com/v1.0/policies/...).
 * Every answer is checked with zod; retries, tokens, paging and the admin's error messages
 * come from the HTTP core in http.ts, shared with the Graph client.
 */
import { z } from 'zod';
import { OFFER_TYPES, POLICY_VALUES, type OfferType, type PolicyValue } from '../../domain/policy.js';
import { createHttpClient, type HttpCall, type HttpClientOptions, type HttpLogEntry, type MicrosoftService } from './http.js';
import { LICENSE_MANAGER_APP_ID, LICENSING_SCOPE } from './token.js';

export { parseRetryAfter } from './http.js';

const POLICY_PATH = '/v1.0/policies/AllowSelfServicePurchase';
const MAX_PAGES = 100;

const LICENSING_SERVICE: MicrosoftService<'licensing'> = {
  log: 'licensing',
  name: 'the Microsoft licensing service',
  shortName: 'the licensing service',
  scope: LICENSING_SCOPE,
  correlationHeader: 'x-ms-correlation-id',
  unexpectedAdvice: 'Try again later; if it keeps happening, check the policy in the Microsoft 365 admin center.',
};

export interface ProductPolicyItem {
  policyId: string;
  policyValue: PolicyValue;
  productName: string;
  productId: string;
}

export interface OfferTypePolicyItem {
  policyId?: string;
  offerType: OfferType;
  policyValue: PolicyValue;
}

export interface LicensingClient {
  listProducts(): Promise<ProductPolicyItem[]>;
  listOfferTypes(): Promise<OfferTypePolicyItem[]>;
  getProduct(productId: string): Promise<ProductPolicyItem>;
  putProduct(productId: string, value: PolicyValue): Promise<ProductPolicyItem>;
  getOfferType(offerType: OfferType): Promise<OfferTypePolicyItem>;
  putOfferType(offerType: OfferType, value: PolicyValue): Promise<OfferTypePolicyItem>;
}

export type LicensingLogEntry = HttpLogEntry<'licensing'>;

export type LicensingClientOptions = Omit<HttpClientOptions<'licensing'>, 'service'>;

const productItemSchema = z.object({
  policyId: z.string(),
  policyValue: z.enum(POLICY_VALUES),
  productName: z.string(),
  productId: z.string().min(1),
});

function canonicalOfferType(value: string | undefined): OfferType | undefined {
  return OFFER_TYPES.find((type) => type.toLowerCase() === value?.toLowerCase());
}

function asPolicyValue(value: string | undefined): PolicyValue | undefined {
  return POLICY_VALUES.find((policyValue) => policyValue === value);
}

/**
 * Offer-type items carry `scope`, `scopeId` and `scopeValue`. Which of them holds the offer
 * type and which the value is not documented, so both readings are accepted: the offer type
 * is whichever of scopeId/scopeValue names one, the value is policyValue or else scopeValue.
 */
const offerTypeItemSchema = z
  .object({
    policyId: z.string().optional(),
    scope: z.string(),
    scopeId: z.string(),
    scopeValue: z.string().optional(),
    policyValue: z.string().optional(),
  })
  .transform((item, ctx): OfferTypePolicyItem => {
    const offerType = canonicalOfferType(item.scopeId) ?? canonicalOfferType(item.scopeValue);
    const policyValue = asPolicyValue(item.policyValue) ?? asPolicyValue(item.scopeValue);
    if (!offerType || !policyValue) {
      ctx.addIssue({ code: 'custom', message: `offer type item without a known offer type and value: ${JSON.stringify(item)}` });
      return z.NEVER;
    }
    return { ...(item.policyId ? { policyId: item.policyId } : {}), offerType, policyValue };
  });

type Access = 'read' | 'write';

function forbiddenMessage(access: Access, status: number): string {
  const role =
    access === 'write' ? 'Policy.ReadWrite.AllowSelfServicePurchase' : 'Policy.Read.AllowSelfServicePurchase (or Policy.ReadWrite.AllowSelfServicePurchase)';
  const what = access === 'write' ? 'change' : 'read';
  return (
    `Microsoft refused to let the bot ${what} the self-service purchase policy (HTTP ${status}). ` +
    `The bot's app registration needs the application permission ${role} on the "M365 License Manager" API ` +
    `(${LICENSE_MANAGER_APP_ID}), with admin consent granted. ` +
    'If the bot signs in as a user instead, that user needs the Billing Administrator or Global Administrator role.'
  );
}

const forbiddenTo = (access: Access) => (status: number) => forbiddenMessage(access, status);

export function createLicensingClient(options: LicensingClientOptions): LicensingClient {
  const http = createHttpClient({ ...options, service: LICENSING_SERVICE });
  const baseUrl = http.baseUrl;

  function call(method: HttpCall['method'], url: string, access: Access, extra: Partial<HttpCall> = {}): HttpCall {
    return { method, url, forbidden: forbiddenTo(access), ...extra };
  }

  async function listAll<T extends z.ZodType>(firstUrl: string, item: T): Promise<z.output<T>[]> {
    const pageSchema = z.object({ items: z.array(item), '@odata.nextLink': z.string().optional() });
    const items: z.output<T>[] = [];
    for await (const page of http.pages(firstUrl, pageSchema, { forbidden: forbiddenTo('read'), maxPages: MAX_PAGES })) {
      items.push(...(page.items as z.output<T>[]));
    }
    return items;
  }

  const productUrl = (productId: string) => `${baseUrl}${POLICY_PATH}/products/${encodeURIComponent(productId)}`;
  const offerTypeUrl = (offerType: OfferType) => `${baseUrl}${POLICY_PATH}/offerTypes/${encodeURIComponent(offerType)}`;
  const noProduct = (productId: string) =>
    `The licensing service knows no product ${productId} for self-service purchase. Run \`/purchases policy\` to see the products and their ids.`;
  const noOfferType = (offerType: OfferType) => `The licensing service has no self-service purchase policy for the offer type ${offerType}.`;

  return {
    listProducts: () => listAll(`${baseUrl}${POLICY_PATH}/products?scope=product`, productItemSchema),
    listOfferTypes: () => listAll(`${baseUrl}${POLICY_PATH}/products?scope=OfferType`, offerTypeItemSchema),
    getProduct: (productId) => http.sendValidated(call('GET', productUrl(productId), 'read', { notFound: noProduct(productId) }), productItemSchema),
    putProduct: (productId, value) =>
      http.sendValidated(call('PUT', productUrl(productId), 'write', { body: { policyValue: value }, notFound: noProduct(productId) }), productItemSchema),
    getOfferType: (offerType) => http.sendValidated(call('GET', offerTypeUrl(offerType), 'read', { notFound: noOfferType(offerType) }), offerTypeItemSchema),
    putOfferType: (offerType, value) =>
      http.sendValidated(
        call('PUT', offerTypeUrl(offerType), 'write', { body: { policyValue: value }, notFound: noOfferType(offerType) }),
        offerTypeItemSchema,
      ),
  };
}
