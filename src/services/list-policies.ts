/** Every product and offer type with its value and its last change, from the record. */
import { listRecordedPolicies, type RecordedPolicy } from '../db/repositories/policies.js';
import type { ServiceContext } from './context.js';

export const LAST_POLICY_SYNC_KEY = 'policy.lastSync';

export interface PolicyList {
  policies: RecordedPolicy[];
  /** When the policy guard last read the tenant; null when it never ran. */
  lastSync: Date | null;
}

export async function listPolicies(ctx: ServiceContext): Promise<PolicyList> {
  const [policies, lastSync] = await Promise.all([
    listRecordedPolicies(ctx.prisma),
    ctx.prisma.jobState.findUnique({ where: { key: LAST_POLICY_SYNC_KEY } }),
  ]);
  return { policies, lastSync: lastSync ? new Date(lastSync.value) : null };
}
