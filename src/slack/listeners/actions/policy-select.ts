/** A value picked on a row of `/purchases policy`: applied at once, the outcome replied. */
import { z } from 'zod';
import { setPolicy } from '../../../services/set-policy.js';
import { parsePolicyOptionValue, policyOutcomeMessage } from '../../blocks/policy.js';
import { policyDeps, type SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';

const selection = z.object({ selected_option: z.object({ value: z.string() }) });

export function policySelectCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { id, value } = parsePolicyOptionValue(selection.parse(action).selected_option.value);
      const ctx = deps.context();
      const outcome = await setPolicy(ctx, policyDeps(deps), { slackUserId: body.user.id }, { product: id, value });
      deps.kickOutbox();
      await respond(ephemeral(policyOutcomeMessage(outcome, deps.config.ADMIN_CHANNEL_ID)));
    });
  };
}
