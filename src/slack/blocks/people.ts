/** Who did something, as a message names them: a Slack user as a mention (Slack shows @name). */
import { escapeMrkdwn } from './text.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A Slack user id becomes `<@U…>`, which Slack shows as @name; anything else is a name, escaped. */
export function personLabel(who: string): string {
  return SLACK_USER_ID.test(who) ? `<@${who}>` : escapeMrkdwn(who);
}
