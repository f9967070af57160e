/**
 * Approve and Reject on a take-over request in the admins' channel. Approve runs the take-over
 * (once, whoever clicks how often); Reject opens a modal for an optional reason. On Microsoft
 * 365, Marked as cancelled finishes a take-over whose subscription an admin cancelled in the
 * admin center.
 */
import { z } from 'zod';
import { approveTakeover, assertPending, markCancelledInAdminCenter } from '../../../services/takeover/decide.js';
import { refreshHomesAfterChange } from '../../app-home.js';
import { rejectModal } from '../../blocks/takeover.js';
import type { SlackDeps } from '../../deps.js';
import { slackDirectory } from '../../directory.js';
import { replyingErrors } from '../../reply.js';
import { slackCallFailed } from '../../slack-errors.js';
import type { ActionArgs } from '../args.js';
import { buttonValue } from '../values.js';

const REQUEST_ID = z.uuid();

export function takeoverApproveCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, REQUEST_ID, 'a take-over request id');
      await approveTakeover(
        deps.context(),
        { tenant: deps.subscriptionTenant, directory: slackDirectory(client), notices: deps.notices.takeover },
        { slackUserId: body.user.id },
        value,
        { requireSecondApprover: deps.config.REQUIRE_SECOND_APPROVER },
      );
      deps.kickOutbox();
      await refreshHomesAfterChange(client, deps, logger);
    });
  };
}

export function takeoverRejectCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, REQUEST_ID, 'a take-over request id');
      await assertPending(deps.context(), value);
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(value) });
      } catch (error) {
        throw slackCallFailed(error, 'The form for a reason to reject could not be opened');
      }
    });
  };
}

export function takeoverMarkedCancelledCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, REQUEST_ID, 'a take-over request id');
      await markCancelledInAdminCenter(deps.context(), deps.notices.takeover, { slackUserId: body.user.id }, value);
      deps.kickOutbox();
      await refreshHomesAfterChange(client, deps, logger);
    });
  };
}

/** A link button (the admin center): Slack still sends the click, which needs only its ack. */
export async function linkButtonCallback({ ack }: ActionArgs): Promise<void> {
  await ack();
}
