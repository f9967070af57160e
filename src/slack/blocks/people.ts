/** Who did something, as a message names them: a Slack user as a mention (Slack shows @name). */
import { CHANGED_BY_GUARD, CHANGED_OUTSIDE } from '../../domain/policy.js';
import { escapeMrkdwn } from './text.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A Slack user id becomes `<@U…>`, which Slack shows as @name; anything else is a name, escaped. */
export function personLabel(who: string): string {
  return SLACK_USER_ID.test(who) ? `<@${who}>` : escapeMrkdwn(who);
}

/**
 * Who changed or cancelled something, to follow the verb: "changed by @alice", "cancelled outside
 * the bot (admin center or PowerShell)", "changed by the policy guard", "cancelled by Dana Whitfield".
 */
export function byWhom(who: string | null): string {
  if (who === null) return 'by someone the record does not name';
  if (who === CHANGED_OUTSIDE) return 'outside the bot (admin center or PowerShell)';
  if (who === CHANGED_BY_GUARD) return 'by the policy guard';
  return `by ${personLabel(who)}`;
}
