/**
 * Take-over views: the request modal, the reject-reason modal, the approval message in the
 * admins' channel (pending, then its outcome), and the DMs to the purchaser and the requester.
 */
import { plural } from '../../domain/plural.js';
import { formatDateTime, formatDay } from '../../domain/dates.js';
import { CANCEL_COMMENT_MAX, CANCEL_REASONS, REJECT_REASON_MAX, type TakeoverField } from '../../domain/takeover.js';
import type { SubscriptionSummary } from '../../services/subscription-summary.js';
import type { TakeoverDescription } from '../../services/takeover/describe.js';
import type { TakeoverNotices } from '../../services/takeover/notices.js';
import type { TakeoverOptions } from '../../services/takeover/options.js';
import { describeSlackRefusal } from '../slack-errors.js';
import { TAKEOVER_ACTIONS } from './action-ids.js';
import type { KnownBlock, ModalView, SlackMessage } from './block-kit.js';
import { purchaserLabel, renewsLabel } from './subscription-line.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

export const TAKEOVER_VIEW = 'takeover_request';
export const REJECT_VIEW = 'takeover_reject_reason';

/** Where each field of the take-over modal is: block_id and action_id. */
export const TAKEOVER_FIELDS: Record<TakeoverField, { block: string; action: string }> = {
  kind: { block: 'takeover_kind', action: 'kind' },
  target: { block: 'takeover_target', action: 'target' },
  reason: { block: 'takeover_reason', action: 'reason' },
  comment: { block: 'takeover_comment', action: 'comment' },
};
export const REJECT_FIELD = { block: 'reject_reason', action: 'reason' } as const;

/** Slack offers at most 100 options in a select. */
const MAX_TARGETS = 100;


function subscriptionName(s: SubscriptionSummary): string {
  const owner = s.purchaser ? `${escapeMrkdwn(s.purchaser.name)}’s` : 'the central';
  return `${owner} ${escapeMrkdwn(s.product.name)} subscription \`${s.shortId}\``;
}

function targetLabel(s: SubscriptionSummary, free: number): string {
  const kind = s.isSelfService ? `self-service, ${s.purchaser?.name ?? 'unknown'}` : 'central';
  return `${s.shortId} · ${kind} · ${plural(free, 'free license')}`;
}

export function takeoverModal(options: TakeoverOptions, timeZone: string): ModalView {
  const s = options.subscription;
  const targets = options.targets.slice(0, MAX_TARGETS);
  const f = TAKEOVER_FIELDS;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `*${escapeMrkdwn(s.product.name)}* bought by ${purchaserLabel(s)}\n\`${s.shortId}\` · ${plural(s.licensesPurchased, 'license')}, ${plural(s.assigned, 'user')} assigned · ${renewsLabel(s, timeZone)}`,
          3000,
        ),
      ),
    },
    {
      type: 'input',
      block_id: f.kind.block,
      label: plain('What should happen?', 2000),
      element: {
        type: 'radio_buttons',
        action_id: f.kind.action,
        options: [
          { text: plain('Move users to another subscription'), value: 'move', description: plain('Each user gets a license of the chosen subscription; this one is cancelled.') },
          { text: plain('Cancel the subscription and remove licenses'), value: 'cancel', description: plain('The assigned users lose access to the product.') },
        ],
      },
    },
  ];
  if (targets.length > 0) {
    blocks.push({
      type: 'input',
      block_id: f.target.block,
      optional: true,
      label: plain('Move to (for Move)', 2000),
      hint: plain(`It needs ${plural(s.assigned, 'free license')}, one per user moved. Central subscriptions are listed first.`, 2000),
      element: {
        type: 'static_select',
        action_id: f.target.action,
        placeholder: plain('Choose a subscription', 150),
        options: targets.map((t) => ({ text: plain(targetLabel(t.subscription, t.free)), value: t.subscription.id })),
      },
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`No other active ${escapeMrkdwn(s.product.name)} subscription exists to move the users to: only Cancel is possible.`)],
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: f.reason.block,
      optional: true,
      label: plain('Reason (for Cancel)', 2000),
      element: {
        type: 'static_select',
        action_id: f.reason.action,
        placeholder: plain('Why is it cancelled?', 150),
        options: CANCEL_REASONS.map((r) => ({ text: plain(r), value: r })),
      },
    },
    {
      type: 'input',
      block_id: f.comment.block,
      optional: true,
      label: plain('Comment (for Cancel)', 2000),
      hint: plain('Needed with the reason “Other”: say why.', 2000),
      element: { type: 'plain_text_input', action_id: f.comment.action, multiline: true, max_length: CANCEL_COMMENT_MAX },
    },
    { type: 'context', elements: [mrkdwn('Submitting asks the admins’ channel for approval; nothing changes until another admin approves.')] },
  );
  return {
    type: 'modal',
    callback_id: TAKEOVER_VIEW,
    private_metadata: s.id,
    title: plain('Take over', 24),
    submit: plain('Ask for approval', 24),
    close: plain('Close', 24),
    blocks,
  };
}

export function rejectModal(requestId: string): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    private_metadata: requestId,
    title: plain('Reject take-over', 24),
    submit: plain('Reject', 24),
    close: plain('Back', 24),
    blocks: [
      {
        type: 'input',
        block_id: REJECT_FIELD.block,
        optional: true,
        label: plain('Reason (the requester is told)', 2000),
        element: { type: 'plain_text_input', action_id: REJECT_FIELD.action, multiline: true, max_length: REJECT_REASON_MAX },
      },
    ],
  };
}

function whatItDoes(r: TakeoverDescription): string {
  const users = plural(r.usersAffected, 'user');
  if (r.kind === 'move') {
    const target = r.target ? subscriptionName(r.target) : 'a subscription that no longer exists';
    const free = r.target ? ` (${plural(Math.max(0, r.target.licensesPurchased - r.target.assigned), 'free license')} now)` : '';
    return `${users} move to ${target}${free}; then this subscription is cancelled.`;
  }
  const why = [r.reason, r.comment].filter(Boolean).map((t) => escapeMrkdwn(t!)).join(' — ');
  const sentence = why || 'none given';
  // A comment that already ends a sentence gets no second full stop.
  return `${users} lose access to ${escapeMrkdwn(r.subscription.product.name)}, and the subscription is cancelled. Reason: ${sentence}${/[.!?]$/.test(sentence) ? '' : '.'}`;
}

function purchaserLine(r: TakeoverDescription): string | undefined {
  const p = r.subscription.purchaser;
  switch (r.purchaserNotice) {
    case 'sent':
      return `${escapeMrkdwn(p?.name ?? 'The purchaser')} is told by direct message.`;
    case 'not_in_slack':
      return `:warning: ${escapeMrkdwn(p?.name ?? 'The purchaser')} (${escapeMrkdwn(p?.email ?? 'no email')}) is not in Slack and was not told: let them know another way.`;
    default:
      return undefined;
  }
}

function outcomeLine(r: TakeoverDescription, timeZone: string): string {
  const when = (d: Date | null) => (d ? formatDateTime(d, timeZone) : 'an unknown time');
  switch (r.status) {
    case 'EXECUTED':
      return `:white_check_mark: *Done.* Approved by <@${r.decidedBy}> on ${when(r.decidedAt)}: ${r.kind === 'move' ? `${plural(r.usersAffected, 'user')} moved` : `${plural(r.usersAffected, 'license')} removed`}, subscription cancelled.`;
    case 'FAILED':
      return `:x: *Failed, nothing changed.* Approved by <@${r.decidedBy}> on ${when(r.decidedAt)}, but ${escapeMrkdwn(r.failureReason ?? 'the change failed')}.`;
    case 'REJECTED':
      return `:no_entry: *Rejected* by <@${r.decidedBy}> on ${when(r.decidedAt)}${r.rejectReason ? `: ${escapeMrkdwn(r.rejectReason)}` : '.'}`;
    case 'APPROVED':
      return `:hourglass_flowing_sand: Approved by <@${r.decidedBy}> on ${when(r.decidedAt)}; running.`;
    case 'WITHDRAWN':
      return `:leftwards_arrow_with_hook: *Withdrawn* by <@${r.decidedBy}> on ${when(r.decidedAt)}: nothing changed.`;
    default:
      return '';
  }
}

export function approvalMessage(r: TakeoverDescription, timeZone: string): SlackMessage {
  const verb = r.kind === 'move' ? 'move the users of' : 'cancel';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(r.kind === 'move' ? 'Take-over request: move users' : 'Take-over request: cancel', 150) },
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `<@${r.requestedBy}> asks to ${verb} the *${escapeMrkdwn(r.subscription.product.name)}* subscription \`${r.subscription.shortId}\` bought by ${purchaserLabel(r.subscription)}, ${plural(r.subscription.licensesPurchased, 'license')}.\n*What it will do:* ${whatItDoes(r)}`,
          3000,
        ),
      ),
    },
    { type: 'context', elements: [mrkdwn(`Requested ${formatDateTime(r.requestedAt, timeZone)} · request \`${r.id.slice(0, 8)}\``)] },
  ];
  if (r.status === 'PENDING') {
    blocks.push({
      type: 'actions',
      block_id: 'takeover_decision',
      elements: [
        {
          type: 'button',
          action_id: TAKEOVER_ACTIONS.approve,
          style: 'primary',
          text: plain('Approve'),
          value: r.id,
          ...(r.kind === 'cancel'
            ? {
                confirm: {
                  title: plain('Cancel the subscription?', 100),
                  text: plain(truncate(`Are you sure you want to cancel? ${plural(r.usersAffected, 'user')} will lose access to ${r.subscription.product.name}.`, 300), 300),
                  confirm: plain('Yes, cancel it', 30),
                  deny: plain('No', 30),
                  style: 'danger' as const,
                },
              }
            : {}),
        },
        { type: 'button', action_id: TAKEOVER_ACTIONS.reject, style: 'danger', text: plain('Reject'), value: r.id },
      ],
    });
  } else {
    const lines = [outcomeLine(r, timeZone), ...(r.status === 'EXECUTED' ? [purchaserLine(r)] : [])].filter(Boolean);
    blocks.push({ type: 'section', text: mrkdwn(truncate(lines.join('\n'), 3000)) });
  }
  const status = r.status === 'PENDING' ? 'waiting for approval' : r.status.toLowerCase();
  return { text: truncate(`Take-over request (${status}): ${r.kind} ${escapeMrkdwn(r.subscription.product.name)} ${r.subscription.shortId}`, 3000), blocks };
}

export function purchaserNoticeMessage(r: TakeoverDescription, timeZone: string): SlackMessage {
  const s = r.subscription;
  const bought = `your ${escapeMrkdwn(s.product.name)} subscription (${plural(s.licensesPurchased, 'license')}, bought ${formatDay(s.purchasedAt, timeZone)})`;
  const who = `<@${r.decidedBy}> approved it at the request of <@${r.requestedBy}>`;
  const meaning =
    r.kind === 'move'
      ? `The ${plural(r.usersAffected, 'person', 'people')} who used its licenses now have licenses paid by the organisation and keep their access. Your subscription is cancelled, so you will not be charged for it again.`
      : `The ${plural(r.usersAffected, 'person', 'people')} who used its licenses no longer have ${escapeMrkdwn(s.product.name)}. Your subscription is cancelled, so you will not be charged for it again.${r.reason ? ` Reason: ${escapeMrkdwn(r.reason)}.` : ''}`;
  const what = r.kind === 'move' ? 'moved its users to a subscription managed by IT' : 'cancelled it';
  const text = `The IT admins took over ${bought}: they ${what}. ${who}.\n${meaning}\nQuestions? Reply to <@${r.decidedBy}>.`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export function rejectedMessage(r: TakeoverDescription): SlackMessage {
  const text = `Your take-over request for ${subscriptionName(r.subscription)} was rejected by <@${r.decidedBy}>${r.rejectReason ? `: ${escapeMrkdwn(r.rejectReason)}` : '.'}`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export function withdrawnMessage(r: TakeoverDescription): SlackMessage {
  const text = `<@${r.decidedBy}> withdrew your take-over request \`${r.id.slice(0, 8)}\` for ${subscriptionName(r.subscription)}: nothing was changed.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

/** What the admin who withdrew a request is answered. */
export function withdrawnReply(r: TakeoverDescription): SlackMessage {
  const text = `Withdrawn: the take-over request \`${r.id.slice(0, 8)}\` for ${subscriptionName(r.subscription)}. Nothing was changed.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export function approvalUndeliveredMessage(r: TakeoverDescription, error: string): SlackMessage {
  const text =
    `:warning: Your take-over request \`${r.id.slice(0, 8)}\` for ${subscriptionName(r.subscription)} could not be posted for approval: ${describeSlackRefusal(error)}\n` +
    `Nobody can approve it until it is. Withdraw it with \`/purchases withdraw ${r.id.slice(0, 8)}\` (or from App Home), and ask again once the bot can post in the admins’ channel; a new request replaces this one.`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

export const takeoverNotices: TakeoverNotices = {
  approval: approvalMessage,
  purchaserNotice: purchaserNoticeMessage,
  rejected: rejectedMessage,
  withdrawn: withdrawnMessage,
  approvalUndelivered: approvalUndeliveredMessage,
};
