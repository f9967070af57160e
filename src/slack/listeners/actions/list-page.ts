/** Next / Previous under a list: the button's value is the opaque cursor. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { listSubscriptions } from '../../../services/list-subscriptions.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { listMessage } from '../../blocks/list.js';

const cursorValue = z.object({ value: z.string().min(1).max(2000) });

export function register(app: App, deps: SlackDeps): void {
  for (const actionId of [ACTIONS.listPrev, ACTIONS.listNext]) {
    app.action(actionId, async ({ action, ack, respond, logger }) => {
      await ack();
      await replyingErrors(respond, logger, async () => {
        const { value } = cursorValue.parse(action);
        const ctx = deps.context();
        const page = await listSubscriptions(ctx, { cursor: value });
        await respond(ephemeral(listMessage(page, ctx.now, ctx.timeZone), { replaceOriginal: true }));
      });
    });
  }
}
