/**
 * `/purchases centralize <product>`: the plan, with Assign and Ask-purchasers buttons, what they
 * did, and the direct message that asks a purchaser to cancel.
 */
import { plural } from '../../domain/plural.js';
import { describeSpend } from '../../domain/spend.js';
import type { AfterCancel, CentralizeNotices, CentralizePlan } from '../../services/centralize.js';
import type { SubscriptionSummary } from '../../services/subscription-summary.js';
import { TAKEOVER_ACTIONS } from './action-ids.js';
import type { ActionsBlock, KnownBlock, SlackMessage } from './block-kit.js';
import { renewsLabel } from './subscription-line.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, truncate } from './text.js';

const NAMES_PER_SUBSCRIPTION = 5;

export function centralizeMessage(plan: CentralizePlan): SlackMessage {
  const name = escapeMrkdwn(plan.product.name);
  const selfLines = plan.selfService.map(({ subscription: s, users }) => {
    const names = users.slice(0, NAMES_PER_SUBSCRIPTION).map((u) => escapeMrkdwn(u.name));
    const more = users.length > names.length ? `, +${users.length - names.length} more` : '';
    return `• \`${s.shortId}\` ${escapeMrkdwn(s.purchaser?.name ?? 'unknown')} — ${plural(users.length, 'user')}${names.length ? `: ${names.join(', ')}${more}` : ''}`;
  });
  const centralLines = plan.central.map(
    ({ subscription: s, free }) => `• \`${s.shortId}\` ${plural(s.licensesPurchased, 'license')}, ${s.assigned} assigned, *${free} free*`,
  );
  const outcome = plan.licensesPerProduct
    ? `Nothing to assign in Microsoft 365: a license belongs to the product, not to a subscription, so the ${plural(plan.toAssign.length + plan.skipped.length, 'person', 'people')} holding a self-service ${name} license already hold the license a central subscription gives. What remains is the purchasers cancelling their own subscriptions, so that the central subscriptions' seats (${plural(
        plan.central.reduce((sum, c) => sum + c.subscription.licensesPurchased, 0),
        'license',
      )}) carry everyone.`
    : plan.toAssign.length === 0
      ? 'Nobody needs a central license: everyone with a self-service license already holds one.'
      : plan.central.length === 0
        ? `${plural(plan.toAssign.length, 'person', 'people')} without a central license, but there is no central ${name} subscription.`
        : plan.missing > 0
          ? `${plural(plan.toAssign.length, 'person', 'people')} without a central license, and ${plural(plan.free, 'central license')} free: *${plan.missing} missing*. Nothing can be assigned until licenses are added (all or nothing).`
          : `Each of the ${plural(plan.toAssign.length, 'person', 'people')} without a central license gets one (${plural(plan.free, 'central license')} free).`;
  const skipped =
    plan.skipped.length > 0 && !plan.licensesPerProduct
      ? ` Skipped, as they already hold a central license: ${plural(plan.skipped.length, 'person', 'people')}.`
      : '';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Centralize ${plan.product.name}`, 150) },
    {
      type: 'section',
      text: mrkdwn(
        plan.selfService.length === 0
          ? `*Self-service subscriptions*\nNone is active for ${name}.`
          : `*Self-service subscriptions (${plan.selfService.length})* · ${describeSpend(plan.selfServiceSpend, ' per month')}, no longer paid once they are cancelled\n${linesWithin(selfLines, 2800)}`,
      ),
    },
    {
      type: 'section',
      text: mrkdwn(plan.central.length === 0 ? '*Central subscriptions*\nNone.' : `*Central subscriptions*\n${linesWithin(centralLines, 2900)}`),
    },
    { type: 'section', text: mrkdwn(truncate(`*What would happen*\n${outcome}${skipped}`, 3000)) },
  ];
  const buttons: ActionsBlock['elements'] = [];
  if (!plan.licensesPerProduct && plan.toAssign.length > 0 && plan.central.length > 0 && plan.missing === 0) {
    buttons.push({
      type: 'button',
      action_id: TAKEOVER_ACTIONS.centralizeAssign,
      style: 'primary',
      text: plain('Assign central licenses'),
      value: plan.product.id,
      confirm: {
        title: plain('Assign central licenses?', 100),
        text: plain(truncate(`Each of ${plural(plan.toAssign.length, 'person', 'people')} gets a central ${plan.product.name} license.`, 300), 300),
        confirm: plain('Assign', 30),
        deny: plain('Not now', 30),
      },
    });
  }
  if (plan.selfService.some((s) => s.subscription.purchaser)) {
    buttons.push({
      type: 'button',
      action_id: TAKEOVER_ACTIONS.centralizeAsk,
      text: plain('Ask purchasers to cancel'),
      value: plan.product.id,
      confirm: {
        title: plain('Message the purchasers?', 100),
        text: plain('Each purchaser gets a direct message asking them to cancel their own subscription.', 300),
        confirm: plain('Send', 30),
        deny: plain('Not now', 30),
      },
    });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'centralize_actions', elements: buttons });
  return { text: truncate(`Centralize ${name}: ${outcome}`, 3000), blocks };
}

function note(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export function centralLicensesAssignedMessage(productName: string, assigned: number, skipped: number): SlackMessage {
  const skippedNote = skipped > 0 ? ` ${plural(skipped, 'person', 'people')} already held one and were skipped.` : '';
  return note(
    `:white_check_mark: Central ${escapeMrkdwn(productName)} licenses assigned to ${plural(assigned, 'person', 'people')}.${skippedNote} Next: *Ask purchasers to cancel* their own subscriptions.`,
  );
}

export function purchasersAskedMessage(asked: number, alreadyAskedToday: number): SlackMessage {
  const again = alreadyAskedToday > 0 ? ` ${plural(alreadyAskedToday, 'purchaser')} had already been asked today and are not messaged again.` : '';
  return note(`:envelope: ${plural(asked, 'purchaser')} will get a direct message asking them to cancel their subscription.${again}`);
}

/** What cancelling does to the people who use the subscription, as far as the record knows; and whether some may lose access. */
function afterCancelLine(name: string, after: AfterCancel): { line: string; mayLose: boolean } {
  if (after.licensesPerProduct) {
    const rule = 'In Microsoft 365 a license belongs to the product, not to the subscription that pays for it';
    if (after.centralSeats === 0) {
      return {
        line: `${rule}, and the organisation has no ${name} subscription of its own: the people who use yours lose ${name} when it is cancelled, unless IT buys licenses first.`,
        mayLose: true,
      };
    }
    const seats = `the organisation's own ${name} subscriptions have ${plural(after.centralSeats, 'license')} for the ${plural(after.holders, 'person', 'people')} who hold ${name}`;
    if (after.centralSeats >= after.holders) return { line: `${rule}, and ${seats}: the people who use yours keep ${name} when you cancel.`, mayLose: false };
    return {
      line: `${rule}, and ${seats}, ${after.holders - after.centralSeats} too few: some people may lose ${name} when yours is cancelled, unless IT adds licenses first.`,
      mayLose: true,
    };
  }
  const { users, centrallyLicensed } = after;
  if (users === 0) return { line: `Nobody holds a license of your ${name} subscription any more.`, mayLose: false };
  const people = plural(users, 'person', 'people');
  if (centrallyLicensed === users)
    return {
      line: `The ${people} who use your ${name} licenses also hold licenses paid by the organisation, so they keep ${name} when you cancel.`,
      mayLose: false,
    };
  if (centrallyLicensed === 0) {
    return {
      line: `The ${people} who use your ${name} licenses hold no license paid by the organisation yet: they lose ${name} when you cancel, unless IT gives them one first.`,
      mayLose: true,
    };
  }
  return {
    line: `${centrallyLicensed} of the ${people} who use your ${name} licenses also hold licenses paid by the organisation; the other ${users - centrallyLicensed} lose ${name} when you cancel, unless IT gives them one first.`,
    mayLose: true,
  };
}

export function askToCancelMessage(s: SubscriptionSummary, afterCancel: AfterCancel, askedBy: string, timeZone: string): SlackMessage {
  const name = escapeMrkdwn(s.product.name);
  const { line, mayLose } = afterCancelLine(name, afterCancel);
  const text =
    `Hello${s.purchaser ? ` ${escapeMrkdwn(s.purchaser.name)}` : ''}, IT asks you to cancel the subscription you bought: *${name}*, ${plural(s.licensesPurchased, 'license')}, ${renewsLabel(s, timeZone)} (\`${s.shortId}\`). ` +
    `${line} ` +
    `You can cancel it in the Microsoft 365 admin center under Billing → Your products. Asked by <@${askedBy}>${mayLose ? `: reply to them before you cancel if that matters to you` : ''}.`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export const centralizeNotices: CentralizeNotices = { askToCancel: askToCancelMessage };
