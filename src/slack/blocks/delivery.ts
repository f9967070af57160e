/**
 * What the admin who caused a message is told when Slack refuses it for good (an announcement in
 * a channel the bot is not in, an outcome whose approval message is gone, a DM to nobody): where
 * it was going, why it did not arrive, and the message itself.
 */
import type { OutboxFailure } from '../../outbox/deliver.js';
import { describeSlackRefusal } from '../slack-errors.js';
import type { SlackMessage } from './block-kit.js';
import { escapeMrkdwn, mrkdwn, truncate } from './text.js';

const SLACK_CODE = /^[a-z_]+$/;

function where(failure: OutboxFailure): string {
  const to = failure.destination;
  if (failure.kind === 'update') return to ? `its message in <#${to}>` : 'its earlier message';
  if (!to) return 'its destination';
  if (/^[CG][A-Z0-9]+$/.test(to)) return `<#${to}>`;
  if (/^[UW][A-Z0-9]+$/.test(to)) return `<@${to}>`;
  return escapeMrkdwn(to);
}

function why(error: string): string {
  return SLACK_CODE.test(error) ? describeSlackRefusal(error) : `Slack kept failing (${escapeMrkdwn(error)}) until the bot gave up.`;
}

export function undeliveredNotice(failure: OutboxFailure): SlackMessage {
  const summary = `:warning: A message from the bot could not be delivered to ${where(failure)}: ${why(failure.error)}`;
  const quoted = failure.text ? `\n>${truncate(failure.text.replace(/\n/g, '\n>'), 1500)}` : '';
  return { text: summary, blocks: [{ type: 'section', text: mrkdwn(`${summary}${quoted}`) }] };
}
