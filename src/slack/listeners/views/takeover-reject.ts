/** Submitting the reject modal: private_metadata holds only the request id. */
import { z } from 'zod';
import { rejectTakeover } from '../../../services/takeover/decide.js';
import { refreshHomesAfterChange } from '../../app-home.js';
import { REJECT_FIELD } from '../../blocks/takeover.js';
import type { SlackDeps } from '../../deps.js';
import { describeErrorOnField } from '../../reply.js';
import type { ViewArgs } from '../args.js';
import { metadataValue } from '../values.js';

const reasonState = z.object({ value: z.string().nullish() }).optional();

export function takeoverRejectSubmitCallback(deps: SlackDeps) {
  return async ({ view, body, ack, client, logger }: ViewArgs) => {
    try {
      const reason = reasonState.parse(view.state.values[REJECT_FIELD.block]?.[REJECT_FIELD.action])?.value ?? undefined;
      const requestId = metadataValue(view, z.uuid(), 'a take-over request');
      await rejectTakeover(deps.context(), deps.notices.takeover, { slackUserId: body.user.id }, requestId, reason);
      await ack();
      deps.kickOutbox();
      await refreshHomesAfterChange(client, deps, logger);
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [REJECT_FIELD.block]: await describeErrorOnField(error, logger, client) } });
    }
  };
}
