/**
 * `/purchases policy`: one row per product and offer type with a select to change it, the
 * confirmation of the tenant-wide switch, and the outcomes. Rows are capped so a message stays
 * within Slack's 50 blocks; option values carry the product id and the Microsoft value.
 */
import { z } from 'zod';
import { formatDateTime } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import { allowedPolicyValues, POLICY_VALUES, policyAllows, policyWord, type PolicyValue, type RecordedPolicy } from '../../domain/policy.js';
import type { PolicyList } from '../../services/list-policies.js';
import type { AllPoliciesResult, PolicyNotices, PolicyOutcome, PolicyPlan } from '../../services/policy-deps.js';
import { ACTIONS } from './action-ids.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { byWhom } from './people.js';
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
  return { text: plain(policyWord(value)), description: plain(`allows ${policyAllows(value)}`), value: policyOptionValue(id, value) };
}

function lastChange(policy: Pick<RecordedPolicy, 'changedAt' | 'changedBy'>, timeZone: string): string {
  if (!policy.changedAt) return 'no change on record';
  const when = formatDateTime(policy.changedAt, timeZone);
  return policy.changedBy ? `changed ${byWhom(policy.changedBy)} on ${when}` : `changed on ${when}`;
}

/** Rows of the list are `policy_<id>`; the row of `/purchases policy <product>` is `policy_one_<id>`. */
const POLICY_ROW_PREFIX = 'policy_';
export const POLICY_DETAIL_PREFIX = 'policy_one_';

function policyRow(policy: RecordedPolicy, timeZone: string, blockPrefix = POLICY_ROW_PREFIX): KnownBlock {
  const label =
    policy.kind === 'offerType'
      ? `*${escapeMrkdwn(truncate(policy.name, 150))}* · offer type \`${policy.id}\``
      : `*${escapeMrkdwn(truncate(policy.name, 150))}* \`${policy.id}\``;
  return {
    type: 'section',
    block_id: truncate(`${blockPrefix}${policy.id}`, 255),
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

/** A line above a refreshed list or row: what the select just did (or why it did not). */
function noticeBlocks(notice: string | undefined): KnownBlock[] {
  return notice ? [{ type: 'section', text: mrkdwn(notice) }] : [];
}

export function policyListMessage(list: PolicyList, tenant: 'local' | 'microsoft', timeZone: string, notice?: string): SlackMessage {
  const source =
    tenant === 'microsoft'
      ? `Values from Microsoft 365${list.lastSync ? `, last read ${formatDateTime(list.lastSync, timeZone)}` : ' (not read yet: the policy guard reads them at start and on its schedule)'}.`
      : "Values from the bot's own record (TENANT=local).";
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Self-service purchase policies', 150) },
    ...noticeBlocks(notice),
    {
      type: 'context',
      elements: [
        mrkdwn(
          `${source} A change applies to future purchases only. Pick a value on a row to change it; \`/purchases policy all disabled\` switches every product.`,
        ),
      ],
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
  const summary = `Self-service purchase policies of ${plural(list.policies.length, 'product and offer type', 'products and offer types')}`;
  return { text: notice ? truncate(`${notice}\n${summary}`, 3000) : summary, blocks };
}

/** `/purchases policy <product>`: its value, what each value would mean, and the select to change it. */
export function policyDetailMessage(policy: RecordedPolicy, timeZone: string, notice?: string): SlackMessage {
  const values = allowedPolicyValues(policy.kind).map(
    (value) => `• \`${policyWord(value)}\`: allows ${policyAllows(value)}${value === policy.value ? ' (now)' : ''}`,
  );
  const command = `/purchases policy ${policy.kind === 'offerType' ? policy.id : policy.name} ${allowedPolicyValues(policy.kind).map(policyWord).join('|')}`;
  const blocks: KnownBlock[] = [
    ...noticeBlocks(notice),
    policyRow(policy, timeZone, POLICY_DETAIL_PREFIX),
    {
      type: 'section',
      text: mrkdwn(`${escapeMrkdwn(truncate(policy.name, 150))} now allows ${policyAllows(policy.value)}. The values it takes:\n${values.join('\n')}`),
    },
    {
      type: 'context',
      elements: [mrkdwn(`Pick a value above, or type ${escapeMrkdwn(`\`${truncate(command, 300)}\``)}. A change applies to future purchases only.`)],
    },
  ];
  const summary = `${escapeMrkdwn(policy.name)} allows ${policyAllows(policy.value)}`;
  return { text: truncate(notice ? `${notice}\n${summary}` : summary, 3000), blocks };
}

/** One change as a sentence: "now allows trials only (…); before, it allowed purchases and trials." */
export function policyOutcomeLine(outcome: PolicyOutcome, adminChannelId?: string): string {
  const { policy, before, after } = outcome;
  const name = `*${escapeMrkdwn(policy.name)}* (\`${policy.id}\`)`;
  return outcome.changed
    ? `:white_check_mark: ${name} now allows ${policyAllows(after)}, for future purchases; before, it allowed ${policyAllows(before)}.` +
        (adminChannelId ? ` Announced in <#${adminChannelId}>.` : '')
    : `${name} already allows ${policyAllows(after)}: nothing changed.`;
}

export function policyOutcomeMessage(outcome: PolicyOutcome, adminChannelId?: string): SlackMessage {
  const text = policyOutcomeLine(outcome, adminChannelId);
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function skippedOfferTypes(count: number): string {
  return `${plural(count, 'offer type')} skipped: ${count === 1 ? 'it takes' : 'they take'} only enabled or disabled`;
}

function planLines(plan: PolicyPlan): string {
  const word = policyWord(plan.value);
  const products = plan.toChange.filter((p) => p.kind === 'product').length;
  const offerTypes = plan.toChange.length - products;
  return [
    `*${plan.toChange.length}* will change to *${word}* (${plural(products, 'product')}, ${plural(offerTypes, 'offer type')}); ${plan.unchanged.length} already ${plan.unchanged.length === 1 ? 'is' : 'are'} ${word}.`,
    plan.skipped.length > 0 ? `${skippedOfferTypes(plan.skipped.length)}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function policyAllConfirmMessage(plan: PolicyPlan): SlackMessage {
  const word = policyWord(plan.value);
  if (plan.toChange.length === 0) {
    return {
      text: `Nothing to change: everything already is ${word}.`,
      blocks: [
        {
          type: 'section',
          text: mrkdwn(
            `Nothing to change: every product and offer type already is *${word}*.${plan.skipped.length > 0 ? ` (${skippedOfferTypes(plan.skipped.length)}.)` : ''}`,
          ),
        },
      ],
    };
  }
  const names = plan.toChange.map((p) => `• ${escapeMrkdwn(p.name)} (${policyWord(p.value)} → ${word})`);
  return {
    text: `Set ${plural(plan.toChange.length, 'product or offer type', 'products and offer types')} to ${word}?`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`Set every product's self-service purchase policy to *${word}*, so that each allows ${policyAllows(plan.value)}?\n${planLines(plan)}`),
      },
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
              text: plain(
                `${plural(plan.toChange.length, 'product or offer type', 'products and offer types')} will be set to ${word} in the tenant. Existing subscriptions are not touched.`,
                300,
              ),
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
    (result.skipped.length > 0 ? `, ${skippedOfferTypes(result.skipped.length)}` : '') +
    (result.failed.length > 0 ? `, *${result.failed.length} failed*` : '') +
    '.';
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(summary) }];
  if (result.failed.length > 0) {
    const lines = result.failed.map(
      ({ policy, reason }) =>
        `• *${escapeMrkdwn(policy.name)}* (\`${policy.id}\`) still allows ${policyAllows(policy.value)}: ${escapeMrkdwn(truncate(reason, 400))}`,
    );
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
    `:shield: <@${actor}> set the self-service purchase policy of *${escapeMrkdwn(policy.name)}* (\`${policy.id}\`) to *${policyWord(after)}*: it now allows ${policyAllows(after)}, for future purchases; before, it allowed ${policyAllows(before)}.`,
  );
}

/** The announcement of the tenant-wide switch: counts, then each failure with its reason (text only). */
export function allPoliciesAnnouncement(actor: string, result: AllPoliciesResult): SlackMessage {
  const word = policyWord(result.value);
  const lines = [
    `:shield: <@${actor}> set every product's self-service purchase policy to *${word}*, so that each allows ${policyAllows(result.value)}, for future purchases: ` +
      `${result.changed.length} changed, ${result.unchanged.length} already ${word}` +
      (result.skipped.length > 0 ? `, ${skippedOfferTypes(result.skipped.length)}` : '') +
      (result.failed.length > 0 ? `, ${result.failed.length} failed` : '') +
      '.',
    ...result.failed.map(({ policy, reason }) => `• Not changed: ${escapeMrkdwn(policy.name)} (\`${policy.id}\`): ${escapeMrkdwn(reason)}`),
  ];
  // Well within Slack's 40,000 characters of message text, however many products failed.
  return textOnly(truncate(lines.join('\n'), 39_000));
}

export const policyNotices: PolicyNotices = { changed: policyChangedAnnouncement, allChanged: allPoliciesAnnouncement };
