/**
 * `/purchases policy`: one row per product and offer type with a select to change it, the
 * confirmation of the tenant-wide switch, and the outcomes. Rows are capped so a message stays
 * within Slack's 50 blocks; option values carry the product id and the Microsoft value.
 */
import { z } from 'zod';
import { formatDateTime } from '../../domain/dates.js';
import {
  allowedPolicyValues,
  CHANGED_BY_GUARD,
  CHANGED_OUTSIDE,
  POLICY_VALUES,
  policyMeaning,
  policyWord,
  type PolicyValue,
  type RecordedPolicy,
} from '../../domain/policy.js';
import type { PolicyList } from '../../services/list-policies.js';
import type { AllPoliciesResult, PolicyNotices, PolicyOutcome, PolicyPlan } from '../../services/policy-deps.js';
import { ACTIONS } from './action-ids.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, textOnly, truncate } from './text.js';

/** Rows shown before "…and N more": header, context and notes take the other blocks of 50. */
export const MAX_POLICY_ROWS = 44;

const ICONS: Record<PolicyValue, string> = {
  Enabled: ':large_green_circle:',
  OnlyTrialsWithoutPaymentMethod: ':large_yellow_circle:',
  Disabled: ':red_circle:',
};

/** What a policy select sends back: a product or offer type id and a Microsoft value. */
export const POLICY_OPTION_VALUE = z
  .string()
  .max(150)
  .regex(/^[A-Za-z0-9]{1,64}\|[A-Za-z]+$/)
  .transform((text) => {
    const [id, value] = text.split('|') as [string, string];
    return { id, value };
  })
  .pipe(z.object({ id: z.string(), value: z.enum(POLICY_VALUES) }));

export function policyOptionValue(id: string, value: PolicyValue): string {
  return `${id}|${value}`;
}

/** What the select sent back, checked: a product or offer type id and a Microsoft value. */
export function parsePolicyOptionValue(text: string): { id: string; value: PolicyValue } {
  return POLICY_OPTION_VALUE.parse(text);
}

function option(id: string, value: PolicyValue) {
  return { text: plain(policyWord(value)), description: plain(policyMeaning(value)), value: policyOptionValue(id, value) };
}

function changedBy(by: string): string {
  if (by === CHANGED_OUTSIDE) return 'outside the bot (admin center or PowerShell)';
  if (by === CHANGED_BY_GUARD) return 'the policy guard';
  return /^[UW][A-Z0-9]+$/.test(by) ? `<@${by}>` : escapeMrkdwn(by);
}

function lastChange(policy: Pick<RecordedPolicy, 'changedAt' | 'changedBy'>, timeZone: string): string {
  if (!policy.changedAt) return 'no change on record';
  const when = formatDateTime(policy.changedAt, timeZone);
  return policy.changedBy ? `changed ${when} by ${changedBy(policy.changedBy)}` : `changed ${when}`;
}

function policyRow(policy: RecordedPolicy, timeZone: string): KnownBlock {
  const label = policy.kind === 'offerType' ? `*${escapeMrkdwn(truncate(policy.name, 150))}* · offer type \`${policy.id}\`` : `*${escapeMrkdwn(truncate(policy.name, 150))}* \`${policy.id}\``;
  return {
    type: 'section',
    block_id: truncate(`policy_${policy.id}`, 255),
    text: mrkdwn(`${label}\n${ICONS[policy.value]} *${policyWord(policy.value)}* · ${lastChange(policy, timeZone)}`),
    accessory: {
      type: 'static_select',
      action_id: ACTIONS.policySelect,
      placeholder: plain('Change to…'),
      initial_option: option(policy.id, policy.value),
      options: allowedPolicyValues(policy.kind).map((value) => option(policy.id, value)),
    },
  };
}

export function policyListMessage(list: PolicyList, tenant: 'local' | 'microsoft', timeZone: string): SlackMessage {
  const source =
    tenant === 'microsoft'
      ? `Values from Microsoft 365${list.lastSync ? `, last read ${formatDateTime(list.lastSync, timeZone)}` : ' (not read yet: the policy guard reads them at start and on its schedule)'}.`
      : 'Values from the bot\'s own record (TENANT=local).';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Self-service purchase policies', 150) },
    {
      type: 'context',
      elements: [mrkdwn(`${source} A change applies to future purchases only. Pick a value on a row to change it; \`/purchases policy all disabled\` switches every product.`)],
    },
  ];
  if (list.policies.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn('No product on record yet.') });
  }
  for (const policy of list.policies.slice(0, MAX_POLICY_ROWS)) blocks.push(policyRow(policy, timeZone));
  if (list.policies.length > MAX_POLICY_ROWS) {
    const hidden = list.policies.slice(MAX_POLICY_ROWS).map((p) => `\`${p.id}\``);
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`…and ${hidden.length} more, changed with \`/purchases policy <ProductId> <value>\`: ${linesWithin(hidden, 2500)}`)],
    });
  }
  return { text: `Self-service purchase policies of ${list.policies.length} products and offer types`, blocks };
}

export function policyOutcomeMessage(outcome: PolicyOutcome, adminChannelId?: string): SlackMessage {
  const { policy, before, after } = outcome;
  const name = `*${escapeMrkdwn(policy.name)}* (\`${policy.id}\`)`;
  const text = outcome.changed
    ? `:white_check_mark: ${name} is now *${policyWord(after)}* (was ${policyWord(before)}): ${policyMeaning(after)}, for future purchases.` +
      (adminChannelId ? ` Announced in <#${adminChannelId}>.` : '')
    : `${name} already was *${policyWord(after)}*: nothing changed.`;
  return { text: `${policy.name}: ${policyWord(after)}`, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function planLines(plan: PolicyPlan): string {
  const word = policyWord(plan.value);
  const products = plan.toChange.filter((p) => p.kind === 'product').length;
  const offerTypes = plan.toChange.length - products;
  return [
    `*${plan.toChange.length}* will change to *${word}* (${products} products, ${offerTypes} offer types); ${plan.unchanged.length} already ${plan.unchanged.length === 1 ? 'is' : 'are'} ${word}.`,
    plan.skipped.length > 0 ? `${plan.skipped.length} offer types are skipped: they take only enabled or disabled.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function policyAllConfirmMessage(plan: PolicyPlan): SlackMessage {
  const word = policyWord(plan.value);
  if (plan.toChange.length === 0) {
    return {
      text: `Nothing to change: everything already is ${word}.`,
      blocks: [{ type: 'section', text: mrkdwn(`Nothing to change: every product and offer type already is *${word}*.${plan.skipped.length > 0 ? ` (${plan.skipped.length} offer types skipped: they take only enabled or disabled.)` : ''}`) }],
    };
  }
  const names = plan.toChange.map((p) => `• ${escapeMrkdwn(p.name)} (${policyWord(p.value)} → ${word})`);
  return {
    text: `Set ${plan.toChange.length} products to ${word}?`,
    blocks: [
      { type: 'section', text: mrkdwn(`Set every product's self-service purchase policy to *${word}* (${policyMeaning(plan.value)})?\n${planLines(plan)}`) },
      { type: 'section', text: mrkdwn(linesWithin(names, 2900)) },
      { type: 'context', elements: [mrkdwn('Applies to future purchases only: existing subscriptions are not touched.')] },
      {
        type: 'actions',
        block_id: 'policy_all_actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.policyAllConfirm,
            style: 'danger',
            text: plain(`Set ${plan.toChange.length} to ${word}`),
            value: plan.value,
            confirm: {
              title: plain('Change every product?', 100),
              text: plain(`${plan.toChange.length} products and offer types will be set to ${word} in the tenant. Existing subscriptions are not touched.`, 300),
              confirm: plain('Yes, change them', 30),
              deny: plain('Go back', 30),
              style: 'danger',
            },
          },
          { type: 'button', action_id: ACTIONS.policyAllCancel, text: plain('Cancel'), value: plan.value },
        ],
      },
    ],
  };
}

export function policyAllResultMessage(result: AllPoliciesResult): SlackMessage {
  const word = policyWord(result.value);
  const icon = result.failed.length === 0 ? ':white_check_mark:' : ':warning:';
  const summary =
    `${icon} Every product set to *${word}*: ${result.changed.length} changed, ${result.unchanged.length} already ${word}` +
    (result.skipped.length > 0 ? `, ${result.skipped.length} offer types skipped (they take only enabled or disabled)` : '') +
    (result.failed.length > 0 ? `, *${result.failed.length} failed*` : '') +
    '.';
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(summary) }];
  if (result.failed.length > 0) {
    const lines = result.failed.map(({ policy, reason }) => `• *${escapeMrkdwn(policy.name)}* (\`${policy.id}\`) still ${policyWord(policy.value)}: ${escapeMrkdwn(truncate(reason, 400))}`);
    blocks.push({ type: 'section', text: mrkdwn(`*Not changed*\n${linesWithin(lines, 2900)}`) });
  }
  if (result.changed.length > 0) {
    const lines = result.changed.map(({ policy, before }) => `• ${escapeMrkdwn(policy.name)} (was ${policyWord(before)})`);
    blocks.push({ type: 'section', text: mrkdwn(`*Changed*\n${linesWithin(lines, 2900)}`) });
  }
  return { text: summary, blocks };
}

/** The announcement in the admins' channel of one policy changed by an admin (text only). */
export function policyChangedAnnouncement(actor: string, outcome: PolicyOutcome): SlackMessage {
  const { policy, before, after } = outcome;
  return textOnly(
    `:shield: <@${actor}> set the self-service purchase policy of *${policy.name}* (\`${policy.id}\`) to *${policyWord(after)}* (was ${policyWord(before)}): ${policyMeaning(after)}, for future purchases.`,
  );
}

/** The announcement of the tenant-wide switch: counts, then each failure with its reason (text only). */
export function allPoliciesAnnouncement(actor: string, result: AllPoliciesResult): SlackMessage {
  const word = policyWord(result.value);
  const lines = [
    `:shield: <@${actor}> set every product's self-service purchase policy to *${word}* (${policyMeaning(result.value)}, for future purchases): ` +
      `${result.changed.length} changed, ${result.unchanged.length} already ${word}` +
      (result.skipped.length > 0 ? `, ${result.skipped.length} offer types skipped (they take only enabled or disabled)` : '') +
      (result.failed.length > 0 ? `, ${result.failed.length} failed` : '') +
      '.',
    ...result.failed.map(({ policy, reason }) => `• Not changed: ${policy.name} (\`${policy.id}\`): ${reason}`),
  ];
  // Well within Slack's 40,000 characters of message text, however many products failed.
  return textOnly(lines.join('\n').slice(0, 39_000));
}

export const policyNotices: PolicyNotices = { changed: policyChangedAnnouncement, allChanged: allPoliciesAnnouncement };
