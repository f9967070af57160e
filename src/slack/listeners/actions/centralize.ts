/** The buttons under `/purchases centralize`: assign central licenses; ask purchasers to cancel. */
import { askPurchasersToCancel, assignCentralLicenses, centralizePlan } from '../../../services/centralize.js';
import { centralizeMessage, centralLicensesAssignedMessage, purchasersAskedMessage } from '../../blocks/centralize.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { buttonValue, PRODUCT_ID } from '../values.js';

export function centralizeAssignCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, PRODUCT_ID, 'a product id');
      const { plan, assigned } = await assignCentralLicenses(deps.context(), deps.subscriptionTenant, { slackUserId: body.user.id }, value);
      await respond(ephemeral(centralLicensesAssignedMessage(plan.product.name, assigned, plan.skipped.length)));
    });
  };
}

export function centralizeAskCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, PRODUCT_ID, 'a product id');
      const { asked, alreadyAskedToday } = await askPurchasersToCancel(deps.context(), deps.notices.centralize, { slackUserId: body.user.id }, value, {
        licensesPerProduct: deps.subscriptionTenant.licensesPerProduct,
      });
      deps.kickOutbox();
      await respond(ephemeral(purchasersAskedMessage(asked, alreadyAskedToday)));
    });
  };
}

/** A savings finding's Centralize button: the plan `/purchases centralize <product>` shows, with its buttons. */
export function savingsCentralizeCallback(deps: SlackDeps) {
  return async ({ action, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const value = buttonValue(action, PRODUCT_ID, 'a product id');
      await respond(
        ephemeral(centralizeMessage(await centralizePlan(deps.context(), value, { licensesPerProduct: deps.subscriptionTenant.licensesPerProduct }))),
      );
    });
  };
}
