/** The Take over button (list rows, show, reminders, digests): opens the take-over modal. */
import type { App, BlockAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { replyingErrors } from '../../reply.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { openTakeoverModal } from '../open-takeover.js';
import { subscriptionIdValue } from './show-subscription.js';

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTIONS.takeover, async ({ action, body, ack, respond, client, logger }) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = subscriptionIdValue.parse(action);
      await openTakeoverModal(client, deps, body.trigger_id, value);
    });
  });
}
