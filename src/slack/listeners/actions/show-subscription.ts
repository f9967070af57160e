/** The Show button on a list row or a digest line. */
import { z } from 'zod';
import { showSubscription } from '../../../services/show-subscription.js';
import { subscriptionMessage } from '../../blocks/subscription.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';

export const subscriptionIdValue = z.object({ value: z.uuid() });

export function showSubscriptionCallback(deps: SlackDeps) {
  return async ({ action, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = subscriptionIdValue.parse(action);
      const ctx = deps.context();
      await respond(ephemeral(subscriptionMessage(await showSubscription(ctx, value), ctx.now, ctx.timeZone)));
    });
  };
}
