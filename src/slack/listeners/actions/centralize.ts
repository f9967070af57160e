/** The buttons under `/purchases centralize`: assign central licenses; ask purchasers to cancel. */
import { z } from 'zod';
import { askPurchasersToCancel, assignCentralLicenses } from '../../../services/centralize.js';
import { centralLicensesAssignedMessage, purchasersAskedMessage } from '../../blocks/centralize.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';

/** A ProductId, an offer type, or `sku:<skuId>` for a product known only from Microsoft Graph. */
const productValue = z.object({ value: z.string().regex(/^([A-Za-z0-9]{1,40}|sku:[0-9a-fA-F-]{36})$/) });

export function centralizeAssignCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = productValue.parse(action);
      const { plan, assigned } = await assignCentralLicenses(deps.context(), deps.subscriptionTenant, { slackUserId: body.user.id }, value);
      await respond(ephemeral(centralLicensesAssignedMessage(plan.product.name, assigned, plan.skipped.length)));
    });
  };
}

export function centralizeAskCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = productValue.parse(action);
      const { asked, alreadyAskedToday } = await askPurchasersToCancel(deps.context(), deps.notices.centralize, { slackUserId: body.user.id }, value);
      deps.kickOutbox();
      await respond(ephemeral(purchasersAskedMessage(asked, alreadyAskedToday)));
    });
  };
}
