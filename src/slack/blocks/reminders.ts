/** One expiration reminder message (or several, within Slack's limits) per threshold. */
import { plural } from '../../domain/plural.js';
import type { ReminderGroup, ReminderNotices } from '../../services/send-reminders.js';
import type { SlackMessage } from './block-kit.js';
import { subscriptionWithButtons } from './subscription-buttons.js';
import { splitIntoMessages } from './split.js';
import { mrkdwn, plain } from './text.js';

export function reminderMessages(group: ReminderGroup, now: Date, timeZone: string): SlackMessage[] {
  const count = group.items.length;
  const within = group.thresholdDays === 0 ? 'today' : group.thresholdDays === 1 ? 'by tomorrow' : `within ${group.thresholdDays} days`;
  const summary = `${plural(count, 'self-service subscription')} ${count === 1 ? 'renews' : 'renew'} ${within}`;
  return splitIntoMessages(
    group.items.map((item) => subscriptionWithButtons(item, now, timeZone)),
    {
      headBlocks: 2,
      head: (part, parts) => {
        const suffix = parts > 1 ? ` (part ${part} of ${parts})` : '';
        return {
          text: `${summary}${suffix}`,
          blocks: [
            { type: 'header', text: plain(`:hourglass_flowing_sand: Renewing ${within}${suffix}`, 150) },
            { type: 'context', elements: [mrkdwn(`${summary}. Take them over before they renew on the purchasers' cards, or let them run.`)] },
          ],
        };
      },
      tail: [],
    },
  );
}

export const reminderNotices: ReminderNotices = { messages: reminderMessages };
