/** The buttons under `/purchases centralize`: assign central licenses; ask purchasers to cancel. */
import type { App, BlockAction } from '@slack/bolt';
import { z } from 'zod';
import { askPurchasersToCancel, assignCentralLicenses } from '../../../services/centralize.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import { TAKEOVER_ACTIONS } from '../../views/action-ids.js';
import { mrkdwn } from '../../views/text.js';
import { takeoverNotices } from '../../views/takeover.js';

const productValue = z.object({ value: z.string().regex(/^[A-Za-z0-9]{1,40}$/) });

function note(text: string) {
  return ephemeral({ text, blocks: [{ type: 'section', text: mrkdwn(text) }] });
}

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(TAKEOVER_ACTIONS.centralizeAssign, async ({ action, body, ack, respond, logger }) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = productValue.parse(action);
      const { plan, assigned } = await assignCentralLicenses(deps.context(), deps.subscriptionTenant, { slackUserId: body.user.id }, value);
      const skipped = plan.skipped.length > 0 ? ` ${plan.skipped.length} already held one and were skipped.` : '';
      await respond(note(`:white_check_mark: ${assigned} ${assigned === 1 ? 'person' : 'people'} now hold a central ${plan.product.name} license.${skipped} Next: *Ask purchasers to cancel* their own subscriptions.`));
    });
  });

  app.action<BlockAction>(TAKEOVER_ACTIONS.centralizeAsk, async ({ action, body, ack, respond, logger }) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = productValue.parse(action);
      const { asked, alreadyAskedToday } = await askPurchasersToCancel(deps.context(), takeoverNotices, { slackUserId: body.user.id }, value);
      deps.kickOutbox();
      const again = alreadyAskedToday > 0 ? ` ${alreadyAskedToday} had already been asked today and are not messaged again.` : '';
      await respond(note(`:envelope: ${asked} ${asked === 1 ? 'purchaser is' : 'purchasers are'} being asked to cancel their subscription.${again}`));
    });
  });
}
