/** What the policy guard reports in the admins' channel: one line of text each, no blocks. */
import { plural } from '../../domain/plural.js';
import { policyAllows, policyWord, type PolicyValue } from '../../domain/policy.js';
import type { NewProductAction, PolicyGuardNotices } from '../../services/policy-guard.js';
import type { TenantPolicy } from '../../tenant/port.js';
import type { SlackMessage } from './block-kit.js';
import { escapeMrkdwn, textOnly } from './text.js';

function name(policy: { id: string; name: string }): string {
  return `*${escapeMrkdwn(policy.name)}* (\`${policy.id}\`)`;
}

export function policyGuardBaseline(count: number): SlackMessage {
  return textOnly(
    `:shield: The policy guard read the tenant for the first time and recorded ${plural(count, 'product or offer type', 'products and offer types')}. From now on it reports new products and changes made outside the bot.`,
  );
}

export function newProductReport(policy: TenantPolicy, action: NewProductAction): SlackMessage {
  const arrived = `:new: New in the tenant: ${name(policy)}, which allows ${policyAllows(policy.value)} (*${policyWord(policy.value)}*).`;
  switch (action.kind) {
    case 'enforced':
      return textOnly(`${arrived} The policy guard set it to *${policyWord(action.value)}* (POLICY_DEFAULT): it now allows ${policyAllows(action.value)}.`);
    case 'enforce-failed':
      return textOnly(`${arrived} :warning: The policy guard could not set it to ${policyWord(action.value)}: ${escapeMrkdwn(action.reason)}`);
    case 'reported':
      return textOnly(`${arrived} Change it with \`/purchases policy ${policy.id} disabled\`.`);
  }
}

export function changedOutsideReport(policy: { id: string; name: string }, before: PolicyValue, after: PolicyValue): SlackMessage {
  return textOnly(
    `:eyes: ${name(policy)} was changed outside the bot (admin center or PowerShell): it now allows ${policyAllows(after)} (*${policyWord(after)}*); before, it allowed ${policyAllows(before)}.`,
  );
}

export const policyGuardNotices: PolicyGuardNotices = {
  baseline: policyGuardBaseline,
  newProduct: newProductReport,
  changedOutside: changedOutsideReport,
};
