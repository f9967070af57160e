/**
 * A policy change the bot is about to ask the tenant for, written before it asks and deleted in
 * the transaction that records the answer. One left behind means the tenant may have changed
 * while the record did not (the database write failed, or the process died in between): the next
 * change of that product, or the policy guard, records it as this admin's change. Kept as a
 * JobState row per product.
 */
import { z } from 'zod';
import { POLICY_VALUES } from '../../domain/policy.js';
import type { Db } from '../client.js';
import { deleteJobStateIf, readJobState, writeJobState } from './job-state.js';

const intentSchema = z.object({
  actor: z.string(),
  before: z.enum(POLICY_VALUES),
  value: z.enum(POLICY_VALUES),
  at: z.iso.datetime(),
  detail: z.string().optional(),
});

export type PolicyIntent = z.infer<typeof intentSchema>;

const keyOf = (productId: string) => `policy.intent.${productId}`;

export async function writePolicyIntent(db: Db, productId: string, intent: PolicyIntent, now: Date): Promise<void> {
  await writeJobState(db, keyOf(productId), JSON.stringify(intent), now);
}

/** The intent left for a product, if any (an unreadable one is dropped: it can say nothing). */
export async function readPolicyIntent(db: Db, productId: string): Promise<PolicyIntent | undefined> {
  const raw = await readJobState(db, keyOf(productId));
  if (raw === undefined) return undefined;
  try {
    return intentSchema.parse(JSON.parse(raw));
  } catch {
    await deleteJobStateIf(db, keyOf(productId), raw);
    return undefined;
  }
}

export async function deletePolicyIntent(db: Db, productId: string): Promise<void> {
  await db.jobState.deleteMany({ where: { key: keyOf(productId) } });
}
