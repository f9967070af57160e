/** Next / Previous under `/purchases licenses`: the button's value names the product and the page. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { decodeLicensesCursor, productLicenses } from '../../../services/product-licenses.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { licensesMessage } from '../../blocks/licenses.js';

const cursorValue = z.object({ value: z.string().min(1).max(100) });

export function register(app: App, deps: SlackDeps): void {
  for (const actionId of [ACTIONS.licensesPrev, ACTIONS.licensesNext]) {
    app.action(actionId, async ({ action, ack, respond, logger }) => {
      await ack();
      await replyingErrors(respond, logger, async () => {
        const { productId, offset } = decodeLicensesCursor(cursorValue.parse(action).value);
        const licenses = await productLicenses(deps.context(), productId, offset);
        await respond(ephemeral(licensesMessage(licenses), { replaceOriginal: true }));
      });
    });
  }
}
