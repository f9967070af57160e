/** Export users buttons (on a subscription and on a product's licenses). */
import type { BlockAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { exportUsers, type ExportTarget } from '../../../services/export-users.js';
import type { SlackDeps } from '../../deps.js';
import { replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { buttonValue, PRODUCT_ID } from '../values.js';
import { postExport } from '../post-export.js';

function channelOf(body: BlockAction): string {
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  if (!channel) {
    throw new AppError('bad_input', 'no channel on block action', 'Run `/purchases export …` in the conversation where you want the file.');
  }
  return channel;
}

function exportCallback(deps: SlackDeps, targetOf: (action: unknown) => ExportTarget) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const target = targetOf(action);
      const csv = await exportUsers(deps.context(), { slackUserId: body.user.id }, target);
      await postExport(client, respond, csv, { channelId: channelOf(body), userId: body.user.id }, deps.uploadFetch);
    });
  };
}

export const exportSubscriptionCallback = (deps: SlackDeps) =>
  exportCallback(deps, (action) => ({ kind: 'subscriptions', refs: [buttonValue(action, z.uuid(), 'a subscription id')] }));

export const exportProductCallback = (deps: SlackDeps) =>
  exportCallback(deps, (action) => ({ kind: 'product', product: buttonValue(action, PRODUCT_ID, 'a product id') }));
