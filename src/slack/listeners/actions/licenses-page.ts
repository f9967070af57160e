/** Next / Previous under `/purchases licenses`: the button's value names the product and the page. */
import { z } from 'zod';
import { decodeLicensesCursor, productLicenses } from '../../../services/product-licenses.js';
import { licensesMessage } from '../../blocks/licenses.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';

const cursorValue = z.object({ value: z.string().min(1).max(100) });

export function licensesPageCallback(deps: SlackDeps) {
  return async ({ action, ack, respond, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { productId, offset } = decodeLicensesCursor(cursorValue.parse(action).value);
      const licenses = await productLicenses(deps.context(), productId, offset);
      await respond(ephemeral(licensesMessage(licenses), { replaceOriginal: true }));
    });
  };
}
