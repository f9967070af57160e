/** Withdraw, on a pending request listed on App Home: the request is withdrawn and the tab says so. */
import { z } from 'zod';
import { withdrawTakeover } from '../../../services/takeover/decide.js';
import { publishHome, publishHomeFailure, refreshHomesAfterChange } from '../../app-home.js';
import { withdrawnReply } from '../../blocks/takeover.js';
import type { SlackDeps } from '../../deps.js';
import type { ActionArgs } from '../args.js';
import { buttonValue } from '../values.js';

export function takeoverWithdrawCallback(deps: SlackDeps) {
  return async ({ action, body, ack, client, logger }: ActionArgs) => {
    await ack();
    let notice: string;
    try {
      const requestId = buttonValue(action, z.uuid(), 'a take-over request id');
      notice = withdrawnReply(await withdrawTakeover(deps.context(), deps.notices.takeover, { slackUserId: body.user.id }, requestId)).text;
      deps.kickOutbox();
    } catch (error) {
      await publishHomeFailure(client, deps, body.user.id, 'The request could not be withdrawn', error, logger);
      return;
    }
    // Everyone's dashboard first, then this admin's with the notice on top.
    await refreshHomesAfterChange(client, deps, logger);
    try {
      await publishHome(client, deps, body.user.id, notice);
    } catch (error) {
      logger.warn('The request was withdrawn, but the Home tab could not say so', error);
    }
  };
}
