/** Confirm or Cancel under `/purchases policy all <value>`: the confirmation is replaced by the result. */
import { z } from 'zod';
import { POLICY_VALUES } from '../../../domain/policy.js';
import { setAllPolicies } from '../../../services/set-all-policies.js';
import { policyAllResultMessage } from '../../blocks/policy.js';
import { mrkdwn } from '../../blocks/text.js';
import { policyDeps, type SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { buttonValue } from '../values.js';

const POLICY_VALUE = z.enum(POLICY_VALUES);

export function policyAllConfirmCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, POLICY_VALUE, 'a policy value');
      const result = await setAllPolicies(deps.context(), policyDeps(deps), { slackUserId: body.user.id }, value);
      deps.kickOutbox();
      await respond(ephemeral(policyAllResultMessage(result), { replaceOriginal: true }));
    });
  };
}

export async function policyAllCancelCallback({ ack, respond, logger }: ActionArgs): Promise<void> {
  await ack();
  await replyingErrors(respond, logger, async () => {
    const text = 'Cancelled: no policy was changed.';
    await respond(ephemeral({ text, blocks: [{ type: 'section', text: mrkdwn(text) }] }, { replaceOriginal: true }));
  });
}
