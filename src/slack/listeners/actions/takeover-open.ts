/** The Take over button (list rows, show, reminders, digests): opens the take-over modal. */
import type { SlackDeps } from '../../deps.js';
import { replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { openTakeoverModal } from '../open-takeover.js';
import { buttonValue } from '../values.js';
import { SUBSCRIPTION_ID } from './show-subscription.js';

export function takeoverOpenCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, SUBSCRIPTION_ID, 'a subscription id');
      await openTakeoverModal(client, deps, body.trigger_id, value);
    });
  };
}
