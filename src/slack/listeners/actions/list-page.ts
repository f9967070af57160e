/** Next / Previous under a list: the button's value is the opaque cursor. */
import { z } from 'zod';
import { listSubscriptions } from '../../../services/list-subscriptions.js';
import { listMessage } from '../../blocks/list.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { buttonValue } from '../values.js';

const CURSOR = z.string().min(1).max(2000);

export function listPageCallback(deps: SlackDeps) {
  return async ({ action, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, CURSOR, 'a page of the list');
      const ctx = deps.context();
      const page = await listSubscriptions(ctx, { cursor: value });
      await respond(ephemeral(listMessage(page, ctx.now, ctx.timeZone), { replaceOriginal: true }));
    });
  };
}
