/**
 * A value picked on a row of `/purchases policy` (or of `/purchases policy <product>`): applied at
 * once, then the message the row is on is replaced by a fresh one, as it now is, with the outcome
 * on top; otherwise the row would still show the old value and its menu would snap back.
 */
import { findRecordedPolicy, listPolicies } from '../../../services/list-policies.js';
import { setPolicy } from '../../../services/set-policy.js';
import { POLICY_DETAIL_PREFIX, POLICY_OPTION_VALUE, policyDetailMessage, policyListMessage, policyOutcomeLine } from '../../blocks/policy.js';
import { policyDeps, type SlackDeps } from '../../deps.js';
import { describeError, ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { selectedValue } from '../values.js';

/** The row's block id says which message the menu is on (the list, or one product's detail). */
function blockIdOf(action: unknown): string | undefined {
  const id = (action as { block_id?: unknown }).block_id;
  return typeof id === 'string' ? id : undefined;
}

export function policySelectCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { id, value } = selectedValue(action, POLICY_OPTION_VALUE, 'a product with a policy value');
      const ctx = deps.context();
      let notice: string;
      try {
        const outcome = await setPolicy(ctx, policyDeps(deps), { slackUserId: body.user.id }, { product: id, value });
        deps.kickOutbox();
        notice = policyOutcomeLine(outcome, deps.config.ADMIN_CHANNEL_ID);
      } catch (error) {
        notice = `:warning: ${describeError(error, logger)}`;
      }
      const message = blockIdOf(action)?.startsWith(POLICY_DETAIL_PREFIX)
        ? policyDetailMessage(await findRecordedPolicy(ctx, id), ctx.timeZone, notice)
        : policyListMessage(await listPolicies(ctx), deps.config.TENANT, ctx.timeZone, notice);
      await respond(ephemeral(message, { replaceOriginal: true }));
    });
  };
}
