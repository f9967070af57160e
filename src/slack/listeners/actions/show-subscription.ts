/** The Show button on a list row or a digest line. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { showSubscription } from '../../../services/show-subscription.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { subscriptionMessage } from '../../blocks/subscription.js';

export const subscriptionIdValue = z.object({ value: z.uuid() });

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.showSubscription, async ({ action, ack, respond, logger }) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = subscriptionIdValue.parse(action);
      const ctx = deps.context();
      await respond(ephemeral(subscriptionMessage(await showSubscription(ctx, value), ctx.now, ctx.timeZone)));
    });
  });
}
