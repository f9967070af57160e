/** Export users buttons (on a subscription and on a product's licenses). */
import type { BlockAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { exportUsers, type ExportTarget } from '../../../services/export-users.js';
import type { SlackDeps } from '../../deps.js';
import { replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
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

function exportCallback(deps: SlackDeps, targetOf: (action: unknown) => ExportTarget) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const target = targetOf(action);
      const csv = await exportUsers(deps.context(), { slackUserId: body.user.id }, target);
      await postExport(client, respond, csv, { channelId: channelOf(body), userId: body.user.id });
    });
  };
}

export const exportSubscriptionCallback = (deps: SlackDeps) =>
  exportCallback(deps, (action) => ({ kind: 'subscriptions', refs: [subscriptionValue.parse(action).value] }));

export const exportProductCallback = (deps: SlackDeps) => exportCallback(deps, (action) => ({ kind: 'product', product: productValue.parse(action).value }));
