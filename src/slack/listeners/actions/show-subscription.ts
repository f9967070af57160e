/** The Show button on a list row or a digest line. */
import { z } from 'zod';
import { showSubscription } from '../../../services/show-subscription.js';
import { subscriptionMessage } from '../../blocks/subscription.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { buttonValue } from '../values.js';

export const SUBSCRIPTION_ID = z.uuid();

export function showSubscriptionCallback(deps: SlackDeps) {
  return async ({ action, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, SUBSCRIPTION_ID, 'a subscription id');
      const ctx = deps.context();
      await respond(ephemeral(subscriptionMessage(await showSubscription(ctx, value), ctx.now, ctx.timeZone)));
    });
  };
}
