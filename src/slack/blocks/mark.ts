/** `/purchases mark`: what the admin decided, and that no sync or import undoes it. */
import type { MarkResult } from '../../services/mark-subscription.js';
import type { SlackMessage } from './block-kit.js';
import { purchaserLabel } from './subscription-line.js';
import { escapeMrkdwn, mrkdwn, truncate } from './text.js';

export function markMessage(result: MarkResult): SlackMessage {
  const s = result.subscription;
  const kind = s.isSelfService ? 'self-service' : 'central';
  const which = `*${escapeMrkdwn(s.product.name)}* subscription \`${s.shortId}\` (${purchaserLabel(s)})`;
  const text = result.changed
    ? `:white_check_mark: ${which} is now marked *${kind}*. The audit log has it, and no tenant sync or import will change it.`
    : `${which} was already marked *${kind}* by an admin: nothing changed.`;
  const note = s.isSelfService && !s.purchaser ? ' No purchaser is known for it: an import with a purchaser email names one.' : '';
  return { text: truncate(text + note, 3000), blocks: [{ type: 'section', text: mrkdwn(truncate(text + note, 3000)) }] };
}
