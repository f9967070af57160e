/**
 * Take-over views: the request modal, the reject-reason modal, the approval message in the
 * admins' channel (pending, then its outcome), and the DMs to the purchaser and the requester.
 */
import { plural } from '../../domain/plural.js';
import { formatDateTime, formatDay } from '../../domain/dates.js';
import {
  ADMIN_CENTER_SUBSCRIPTIONS_URL,
  CANCEL_COMMENT_MAX,
  CANCEL_REASONS,
  COMPLETED_BY_TENANT,
  REJECT_REASON_MAX,
  type TakeoverField,
} from '../../domain/takeover.js';
import type { SubscriptionSummary } from '../../services/subscription-summary.js';
import type { LicenseWork, StepUser, TakeoverDescription } from '../../services/takeover/describe.js';
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
          {
            text: plain('Move users to another subscription'),
            value: 'move',
            description: plain('Each user gets a license of the chosen subscription; this one is cancelled.'),
          },
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
  // On Microsoft 365 no public API cancels a subscription: an admin does, in the admin center.
  const cancelled = r.inTenant ? 'an admin cancels the subscription in the Microsoft 365 admin center (the bot asks for it)' : 'this subscription is cancelled';
  if (r.kind === 'move') {
    const target = r.target ? subscriptionName(r.target) : 'a subscription that no longer exists';
    const free = r.target ? ` (${plural(Math.max(0, r.target.licensesPurchased - r.target.assigned), 'free license')} now)` : '';
    return `${users} move to ${target}${free}; then ${cancelled}.`;
  }
  if (r.inTenant) {
    const why =
      [r.reason, r.comment]
        .filter(Boolean)
        .map((t) => escapeMrkdwn(t!))
        .join(' — ') || 'none given';
    return `${users} lose access to ${escapeMrkdwn(r.subscription.product.name)} (their license is removed in Microsoft 365); then ${cancelled}. Reason: ${why}${/[.!?]$/.test(why) ? '' : '.'}`;
  }
  const why = [r.reason, r.comment]
    .filter(Boolean)
    .map((t) => escapeMrkdwn(t!))
    .join(' — ');
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

/** Names shown in one line of the license work before "and N more". */
const NAMES_SHOWN = 10;

/** A name, an email or one of Microsoft's reasons, short enough that ten of them fit a line. */
const short = (text: string, max = 80) => escapeMrkdwn(truncate(text, max));

function names(users: StepUser[], describe: (u: StepUser) => string = (u) => short(u.name)): string {
  const shown = users.slice(0, NAMES_SHOWN).map(describe);
  return users.length > NAMES_SHOWN ? `${shown.join(', ')} and ${users.length - NAMES_SHOWN} more` : shown.join(', ');
}

const groupList = (groups: string[]) =>
  groups.length === 0 ? 'a group' : `group${groups.length === 1 ? '' : 's'} ${groups.map((g) => `\`${short(g, 40)}\``).join(', ')}`;

/** Who was done and who was not, each with Microsoft's cause: the license work of a Microsoft 365 take-over. */
export function licenseWorkLines(work: LicenseWork, kind: TakeoverDescription['kind']): string[] {
  const lines: string[] = [];
  if (work.done.length > 0) {
    lines.push(`${kind === 'move' ? 'Moved' : 'License removed from'} ${plural(work.done.length, 'user')}: ${names(work.done)}.`);
    const keeping = work.done.filter((u) => u.groups.length > 0);
    if (keeping.length > 0) lines.push(`Still licensed through their groups: ${names(keeping, (u) => `${short(u.name)} (${groupList(u.groups)})`)}.`);
  }
  if (work.gone.length > 0) lines.push(`Nothing to change for ${plural(work.gone.length, 'user')} (no longer holding it): ${names(work.gone)}.`);
  if (work.group.length > 0) {
    lines.push(
      `:warning: Not changed, the license comes from a group (change the group's licenses or membership): ${names(work.group, (u) => `${short(u.name)} (${groupList(u.groups)})`)}.`,
    );
  }
  if (work.refused.length > 0) {
    lines.push(`:x: Refused by Microsoft 365: ${names(work.refused, (u) => `${short(u.name)} (${short(u.email)}): ${short(u.reason ?? 'refused', 200)}`)}`);
  }
  if (work.waiting.length > 0 || work.notYet > 0) {
    const waiting = work.waiting.length > 0 ? `${names(work.waiting, (u) => `${short(u.name)} (${short(u.email)}): ${short(u.reason ?? 'failed', 200)}`)}` : '';
    const notYet = work.notYet > 0 ? `${waiting ? '; ' : ''}${plural(work.notYet, 'user')} not tried yet` : '';
    lines.push(`:hourglass_flowing_sand: Not done yet: ${waiting}${notYet}.`);
  }
  return lines;
}

/** What is left once the users' licenses are done on Microsoft 365: no public API cancels a subscription. */
function adminCenterLine(r: TakeoverDescription): string {
  return `*Cancel the subscription in the Microsoft 365 admin center* (<${ADMIN_CENTER_SUBSCRIPTIONS_URL}|Billing › Your products>, ${escapeMrkdwn(r.subscription.product.name)} \`${r.subscription.shortId}\`): no public API cancels a subscription. Then click *Marked as cancelled*; a tenant sync that sees it deleted also finishes this request.`;
}

function outcomeLine(r: TakeoverDescription, timeZone: string): string {
  const when = (d: Date | null) => (d ? formatDateTime(d, timeZone) : 'an unknown time');
  switch (r.status) {
    case 'AWAITING_ADMIN_CENTER':
      return `:hourglass_flowing_sand: *Licenses done; waiting for the admin center.* Approved by <@${r.decidedBy}> on ${when(r.decidedAt)}.${
        r.kind === 'cancel' && !r.licenseWork ? ' Nobody’s license was removed: no user is attributed to this subscription in the record.' : ''
      }`;
    case 'DONE': {
      const how =
        r.completedBy === COMPLETED_BY_TENANT
          ? `a tenant sync saw it deleted in Microsoft 365 on ${when(r.completedAt)}`
          : `<@${r.completedBy}> marked it cancelled in the admin center on ${when(r.completedAt)}`;
      return `:white_check_mark: *Done.* Approved by <@${r.decidedBy}> on ${when(r.decidedAt)}; ${how}.`;
    }
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
                  text: plain(
                    truncate(`Are you sure you want to cancel? ${plural(r.usersAffected, 'user')} will lose access to ${r.subscription.product.name}.`, 300),
                    300,
                  ),
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
    const told = r.status === 'EXECUTED' || r.status === 'AWAITING_ADMIN_CENTER' || r.status === 'DONE';
    const lines = [
      outcomeLine(r, timeZone),
      ...(r.licenseWork ? licenseWorkLines(r.licenseWork, r.kind) : []),
      ...(r.status === 'APPROVED' && r.licenseWork ? ['The bot tries the rest again in about 15 minutes.'] : []),
      ...(r.status === 'AWAITING_ADMIN_CENTER' ? [adminCenterLine(r)] : []),
      ...(told ? [purchaserLine(r)] : []),
    ].filter((line): line is string => Boolean(line));
    // One section per line: a long list of names cannot push who was not done out of the message.
    for (const line of lines) blocks.push({ type: 'section', text: mrkdwn(truncate(line, 3000)) });
    if (r.status === 'AWAITING_ADMIN_CENTER') {
      blocks.push({
        type: 'actions',
        block_id: 'takeover_admin_center',
        elements: [
          {
            type: 'button',
            action_id: TAKEOVER_ACTIONS.markedCancelled,
            style: 'primary',
            text: plain('Marked as cancelled'),
            value: r.id,
            confirm: {
              title: plain('Cancelled in the admin center?', 100),
              text: plain(
                truncate(
                  `Only once ${r.subscription.product.name} subscription ${r.subscription.shortId} is cancelled in the Microsoft 365 admin center: the bot then records it as cancelled.`,
                  300,
                ),
                300,
              ),
              confirm: plain('It is cancelled', 30),
              deny: plain('Not yet', 30),
            },
          },
          { type: 'button', action_id: TAKEOVER_ACTIONS.adminCenterLink, text: plain('Open the admin center'), url: ADMIN_CENTER_SUBSCRIPTIONS_URL },
        ],
      });
    }
  }
  const status =
    r.status === 'PENDING' ? 'waiting for approval' : r.status === 'AWAITING_ADMIN_CENTER' ? 'waiting for the admin center' : r.status.toLowerCase();
  return { text: truncate(`Take-over request (${status}): ${r.kind} ${escapeMrkdwn(r.subscription.product.name)} ${r.subscription.shortId}`, 3000), blocks };
}

/** Whose licenses the moved users hold now: the organisation's only when the target is central. */
function movedToLabel(r: TakeoverDescription): string {
  const target = r.target;
  if (!target) return 'licenses of another subscription';
  if (!target.isSelfService) return 'licenses paid by the organisation';
  return `licenses of another self-service subscription, bought by ${escapeMrkdwn(target.purchaser?.name ?? 'someone the record does not name')}`;
}

export function purchaserNoticeMessage(r: TakeoverDescription, timeZone: string): SlackMessage {
  const s = r.subscription;
  if (r.status === 'AWAITING_ADMIN_CENTER') return purchaserNoticeBeforeAdminCenter(r, timeZone);
  const bought = `your ${escapeMrkdwn(s.product.name)} subscription (${plural(s.licensesPurchased, 'license')}, bought ${formatDay(s.purchasedAt, timeZone)})`;
  const who = `<@${r.decidedBy}> approved it at the request of <@${r.requestedBy}>`;
  const meaning =
    r.kind === 'move'
      ? `The ${plural(r.usersAffected, 'person', 'people')} who used its licenses now have ${movedToLabel(r)} and keep their access. Your subscription is cancelled, so you will not be charged for it again.`
      : `The ${plural(r.usersAffected, 'person', 'people')} who used its licenses no longer have ${escapeMrkdwn(s.product.name)}. Your subscription is cancelled, so you will not be charged for it again.${r.reason ? ` Reason: ${escapeMrkdwn(r.reason)}.` : ''}`;
  const what =
    r.kind === 'move' ? `moved its users to ${r.target?.isSelfService === false ? 'a subscription managed by IT' : 'another subscription'}` : 'cancelled it';
  const text = `The IT admins took over ${bought}: they ${what}. ${who}.\n${meaning}\nQuestions? Reply to <@${r.decidedBy}>.`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

/** To the requester: the licenses are done; the subscription is cancelled by hand in the admin center. */
export function adminCenterStepMessage(r: TakeoverDescription, timeZone: string): SlackMessage {
  const lines = [
    `Your take-over of ${subscriptionName(r.subscription)} was approved by <@${r.decidedBy}> on ${r.decidedAt ? formatDateTime(r.decidedAt, timeZone) : 'an unknown date'} and its users' licenses are done.`,
    ...(r.licenseWork ? licenseWorkLines(r.licenseWork, r.kind) : []),
    adminCenterLine(r).replace('Then click *Marked as cancelled*', 'Then click *Marked as cancelled* on the request in the admins’ channel'),
  ];
  return { text: truncate(lines.join('\n'), 3000), blocks: lines.map((line) => ({ type: 'section' as const, text: mrkdwn(truncate(line, 3000)) })) };
}

export function rejectedMessage(r: TakeoverDescription): SlackMessage {
  const text = `Your take-over request for ${subscriptionName(r.subscription)} was rejected by <@${r.decidedBy}>${r.rejectReason ? `: ${escapeMrkdwn(r.rejectReason)}` : '.'}`;
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text, 3000)) }] };
}

/**
 * To the purchaser on Microsoft 365, where the bot changed the licenses but cannot cancel the
 * subscription: what happened to their users, and that an admin cancels the subscription itself.
 */
function purchaserNoticeBeforeAdminCenter(r: TakeoverDescription, timeZone: string): SlackMessage {
  const s = r.subscription;
  const bought = `your ${escapeMrkdwn(s.product.name)} subscription (${plural(s.licensesPurchased, 'license')}, bought ${formatDay(s.purchasedAt, timeZone)})`;
  const who = `<@${r.decidedBy}> approved it at the request of <@${r.requestedBy}>`;
  const count = r.usersAffected;
  const refused = r.licenseWork?.refused.length ?? 0;
  const meaning =
    r.kind === 'move'
      ? `The ${plural(count, 'person', 'people')} who used its licenses now hold ${movedToLabel(r)} and keep their access.${
          refused > 0 ? ` Microsoft 365 refused to move ${refused} more; the IT admins have the details.` : ''
        }`
      : count > 0
        ? `The ${plural(count, 'person', 'people')} who used its licenses no longer have ${escapeMrkdwn(s.product.name)}.${r.reason ? ` Reason: ${escapeMrkdwn(r.reason)}.` : ''}`
        : `No license was removed.${r.reason ? ` Reason: ${escapeMrkdwn(r.reason)}.` : ''}`;
  const text = `The IT admins are taking over ${bought}. ${who}.\n${meaning}\nThe subscription itself will be cancelled by an admin in the Microsoft 365 admin center; you need not do anything, and it is not charged again once cancelled.\nQuestions? Reply to <@${r.decidedBy}>.`;
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
  adminCenterStep: adminCenterStepMessage,
};
