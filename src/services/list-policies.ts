/** Every product and offer type with its value and its last change, from the record. */
import { listRecordedPolicies, readRecordedPolicies } from '../db/repositories/policies.js';
import type { RecordedPolicy } from '../domain/policy.js';
import { matchProduct } from '../domain/products.js';
import type { ServiceContext } from './context.js';

export const LAST_POLICY_SYNC_KEY = 'policy.lastSync';

export interface PolicyList {
  policies: RecordedPolicy[];
  /** When the policy guard last read the tenant; null when it never ran. */
  lastSync: Date | null;
}

export async function listPolicies(ctx: ServiceContext): Promise<PolicyList> {
  const { policies, jobState: lastSync } = await readRecordedPolicies(ctx.prisma, LAST_POLICY_SYNC_KEY);
  return { policies, lastSync: lastSync ? new Date(lastSync) : null };
}

/** One product's or offer type's policy, by ProductId, offer type, name or an unambiguous part of it. */
export async function findRecordedPolicy(ctx: ServiceContext, query: string): Promise<RecordedPolicy> {
  return matchProduct(query, await listRecordedPolicies(ctx.prisma));
}
