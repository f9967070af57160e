/**
 * A value picked on a row of `/purchases policy` (or of `/purchases policy <product>`): applied at
 * once, then the message the row is on is replaced by a fresh one, as it now is, with the outcome
 * on top; otherwise the row would still show the old value and its menu would snap back.
 */
import { z } from 'zod';
import { findRecordedPolicy, listPolicies } from '../../../services/list-policies.js';
import { setPolicy } from '../../../services/set-policy.js';
import { parsePolicyOptionValue, POLICY_DETAIL_PREFIX, policyDetailMessage, policyListMessage, policyOutcomeLine } from '../../blocks/policy.js';
import { policyDeps, type SlackDeps } from '../../deps.js';
import { describeError, ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';

const selection = z.object({ block_id: z.string().optional(), selected_option: z.object({ value: z.string() }) });

export function policySelectCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const picked = selection.parse(action);
      const { id, value } = parsePolicyOptionValue(picked.selected_option.value);
      const ctx = deps.context();
      let notice: string;
      try {
        const outcome = await setPolicy(ctx, policyDeps(deps), { slackUserId: body.user.id }, { product: id, value });
        deps.kickOutbox();
        notice = policyOutcomeLine(outcome, deps.config.ADMIN_CHANNEL_ID);
      } catch (error) {
        notice = `:warning: ${describeError(error, logger)}`;
      }
      const message = picked.block_id?.startsWith(POLICY_DETAIL_PREFIX)
        ? policyDetailMessage(await findRecordedPolicy(ctx, id), ctx.timeZone, notice)
        : policyListMessage(await listPolicies(ctx), deps.config.TENANT, ctx.timeZone, notice);
      await respond(ephemeral(message, { replaceOriginal: true }));
    });
  };
}
