/** `/purchases <subcommand>`: parse, call one service, render, reply ephemerally. */
import type { App } from '@slack/bolt';
import { digestNow } from '../../../jobs/digest.js';
import { exportUsers } from '../../../services/export-users.js';
import { listSubscriptions } from '../../../services/list-subscriptions.js';
import { productLicenses } from '../../../services/product-licenses.js';
import { showSubscription } from '../../../services/show-subscription.js';
import type { SlackDeps } from '../../deps.js';
import { PURCHASES_COMMAND } from '../../commands.js';
import { parsePurchasesCommand } from '../../parse-command.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import { digestReply } from '../../views/digest.js';
import { helpMessage } from '../../views/help.js';
import { licensesMessage } from '../../views/licenses.js';
import { listMessage } from '../../views/list.js';
import { subscriptionMessage } from '../../views/subscription.js';
import { postExport } from '../post-export.js';

export function register(app: App, deps: SlackDeps): void {
  app.command(PURCHASES_COMMAND, async ({ command, ack, respond, client, logger }) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const parsed = parsePurchasesCommand(command.text);
      const ctx = deps.context();
      switch (parsed.kind) {
        case 'help':
          await respond(ephemeral(helpMessage(parsed.unknown)));
          return;
        case 'list':
          await respond(ephemeral(listMessage(await listSubscriptions(ctx, { filters: parsed.filters }), ctx.now, ctx.timeZone)));
          return;
        case 'show':
          await respond(ephemeral(subscriptionMessage(await showSubscription(ctx, parsed.subscription), ctx.now, ctx.timeZone)));
          return;
        case 'licenses':
          await respond(ephemeral(licensesMessage(await productLicenses(ctx, parsed.product))));
          return;
        case 'digest': {
          const result = await digestNow(ctx, deps.config, { skipEmpty: true });
          if (result.status === 'posted') deps.kickOutbox();
          await respond(ephemeral(digestReply(result, deps.config, ctx.timeZone)));
          return;
        }
        case 'export': {
          const csv = await exportUsers(ctx, { slackUserId: command.user_id }, parsed.target);
          await postExport(client, respond, csv, { channelId: command.channel_id, userId: command.user_id });
          return;
        }
      }
    });
  });
}
