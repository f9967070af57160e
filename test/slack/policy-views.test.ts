import { describe, expect, it } from 'vitest';
import type { RecordedPolicy } from '../../src/domain/policy.js';
import { POLICY_VALUES } from '../../src/domain/policy.js';
import type { AllPoliciesResult, PolicyPlan } from '../../src/services/policy-deps.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import {
  MAX_POLICY_ROWS,
  parsePolicyOptionValue,
  policyAllConfirmMessage,
  policyAllResultMessage,
  policyListMessage,
  policyOptionValue,
  policyOutcomeMessage,
} from '../../src/slack/blocks/policy.js';
import type { TenantPolicy } from '../../src/tenant/port.js';

const longName = 'Ａ<&>'.repeat(200);

function aPolicy(index: number, overrides: Partial<RecordedPolicy> = {}): RecordedPolicy {
  return {
    id: `CFQ7TTC0${String(index).padStart(4, '0')}`,
    kind: 'product',
    name: `${longName} ${index}`,
    value: POLICY_VALUES[index % 3]!,
    changedAt: new Date('2026-11-01T10:00:00Z'),
    changedBy: index % 2 === 0 ? 'U0ADMIN0001' : 'tenant',
    firstSeenAt: new Date('2025-01-01T00:00:00Z'),
    ...overrides,
  };
}

function aTenantPolicy(index: number): TenantPolicy {
  const { id, kind, name, value } = aPolicy(index);
  return { id, kind, name, value };
}

function violations(message: { text: string; blocks: unknown[] }) {
  return checkBlockKit('message', { text: message.text, blocks: message.blocks });
}

describe('policy views', () => {
  it('shows 21 rows, each with a select, well within the limits', () => {
    const policies = [...Array.from({ length: 17 }, (_, i) => aPolicy(i)), aPolicy(99, { id: 'SaaS', kind: 'offerType', value: 'Enabled' })];
    const message = policyListMessage({ policies, lastSync: new Date('2026-11-25T08:00:00Z') }, 'microsoft', 'Europe/Berlin');
    expect(violations(message)).toEqual([]);
    const saas = message.blocks.find((b) => b.block_id === 'policy_SaaS') as { accessory: { options: Array<{ value: string }> } };
    expect(saas.accessory.options.map((o) => o.value)).toEqual(['SaaS|Enabled', 'SaaS|Disabled']);
  });

  it('caps a huge catalogue at 50 blocks and names the products left out', () => {
    const policies = Array.from({ length: 300 }, (_, i) => aPolicy(i));
    const message = policyListMessage({ policies, lastSync: null }, 'local', 'UTC');
    expect(violations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(message.blocks)).toContain(`…and ${300 - MAX_POLICY_ROWS} more`);
  });

  it('says so when there is no product on record', () => {
    const message = policyListMessage({ policies: [], lastSync: null }, 'microsoft', 'UTC');
    expect(violations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('not read yet');
  });

  it('encodes a product and a value in an option and refuses anything else on the way back', () => {
    expect(parsePolicyOptionValue(policyOptionValue('CFQ7TTC0H9MP', 'OnlyTrialsWithoutPaymentMethod'))).toEqual({
      id: 'CFQ7TTC0H9MP',
      value: 'OnlyTrialsWithoutPaymentMethod',
    });
    for (const bad of ['CFQ7TTC0H9MP|Maybe', 'CFQ7TTC0H9MP', '|Disabled', 'CFQ7 TTC0H9MP|Disabled', `${'A'.repeat(200)}|Disabled`]) {
      expect(() => parsePolicyOptionValue(bad)).toThrow();
    }
  });

  it('keeps the confirmation and the result of the tenant-wide switch within the limits with hundreds of products', () => {
    const many = Array.from({ length: 400 }, (_, i) => aTenantPolicy(i));
    const plan: PolicyPlan = { value: 'Disabled', toChange: many.slice(0, 300), unchanged: many.slice(300), skipped: [] };
    expect(violations(policyAllConfirmMessage(plan))).toEqual([]);
    const result: AllPoliciesResult = {
      ...plan,
      changed: many.slice(0, 150).map((policy) => ({ policy, before: 'Enabled' })),
      failed: many.slice(150, 300).map((policy) => ({ policy, reason: 'x'.repeat(2000) })),
    };
    const message = policyAllResultMessage(result);
    expect(violations(message)).toEqual([]);
    expect(message.text).toContain('150 failed');
  });

  it('says there is nothing to change rather than asking', () => {
    const message = policyAllConfirmMessage({
      value: 'OnlyTrialsWithoutPaymentMethod',
      toChange: [],
      unchanged: [aTenantPolicy(1)],
      skipped: [aTenantPolicy(2)],
    });
    expect(violations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('policy_all_confirm');
  });

  it('confirms one change with a long name within the limits', () => {
    const message = policyOutcomeMessage(
      { policy: { id: 'CFQ7TTC0H9MP', kind: 'product', name: longName }, before: 'Enabled', after: 'Disabled', changed: true },
      'C0ADMINS01',
    );
    expect(violations(message)).toEqual([]);
  });
});
