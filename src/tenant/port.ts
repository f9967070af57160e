/**
 * The tenant port: the one door to "where the truth lives". The `local` adapter treats the
 * database as the tenant; the `microsoft` adapter talks to the licensing endpoint and Graph.
 */
import type { PolicyValue } from '../domain/policy.js';

export interface TenantPolicy {
  /** ProductId (12 characters) or offer type (SaaS, POWERBIVISUALS, DYNAMICSCE, DYNAMICSBC). */
  id: string;
  kind: 'product' | 'offerType';
  name: string;
  value: PolicyValue;
}

export interface PolicyTenant {
  listPolicies(): Promise<TenantPolicy[]>;
  getPolicy(id: string, kind: TenantPolicy['kind']): Promise<TenantPolicy>;
  /** Returns what the tenant accepted; throws AppError when it refused. */
  setPolicy(id: string, kind: TenantPolicy['kind'], value: PolicyValue): Promise<TenantPolicy>;
}
