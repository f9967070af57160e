/** A value picked on a row of `/purchases policy`: applied at once, the outcome replied. */
import { setPolicy } from '../../../services/set-policy.js';
import { POLICY_OPTION_VALUE, policyOutcomeMessage } from '../../blocks/policy.js';
import { policyDeps, type SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { selectedValue } from '../values.js';

export function policySelectCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { id, value } = selectedValue(action, POLICY_OPTION_VALUE, 'a product with a policy value');
      const ctx = deps.context();
      const outcome = await setPolicy(ctx, policyDeps(deps), { slackUserId: body.user.id }, { product: id, value });
      deps.kickOutbox();
      await respond(ephemeral(policyOutcomeMessage(outcome, deps.config.ADMIN_CHANNEL_ID)));
    });
  };
}
