/** Export users buttons (on a subscription and on a product's licenses). */
import type { App, BlockAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { exportUsers, type ExportTarget } from '../../../services/export-users.js';
import type { SlackDeps } from '../../deps.js';
import { replyingErrors } from '../../reply.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { postExport } from '../post-export.js';

const subscriptionValue = z.object({ value: z.uuid() });
const productValue = z.object({ value: z.string().regex(/^[A-Za-z0-9]{1,40}$/) });

function channelOf(body: BlockAction): string {
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  if (!channel) {
    throw new AppError('bad_input', 'no channel on block action', 'Run `/purchases export …` in the conversation where you want the file.');
  }
  return channel;
}

export function register(app: App, deps: SlackDeps): void {
  const targets: Array<[string, (action: unknown) => ExportTarget]> = [
    [ACTIONS.exportSubscription, (action) => ({ kind: 'subscriptions', refs: [subscriptionValue.parse(action).value] })],
    [ACTIONS.exportProduct, (action) => ({ kind: 'product', product: productValue.parse(action).value })],
  ];
  for (const [actionId, targetOf] of targets) {
    app.action<BlockAction>(actionId, async ({ action, body, ack, respond, client, logger }) => {
      await ack();
      await replyingErrors(respond, logger, async () => {
        const target = targetOf(action);
        const csv = await exportUsers(deps.context(), { slackUserId: body.user.id }, target);
        await postExport(client, respond, csv, { channelId: channelOf(body), userId: body.user.id });
      });
    });
  }
}
