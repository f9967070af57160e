/** Opens the take-over modal for a subscription (from the command or a Take over button). */
import type { webApi } from '@slack/bolt';
import { AppError } from '../../domain/errors.js';
import { takeoverOptions } from '../../services/takeover/options.js';
import { NO_ADMIN_CHANNEL } from '../../services/takeover/request.js';
import type { SlackDeps } from '../deps.js';
import { takeoverModal } from '../blocks/takeover.js';
import { slackCallFailed } from '../slack-errors.js';

export async function openTakeoverModal(client: webApi.WebClient, deps: SlackDeps, triggerId: string, subscriptionRef: string): Promise<void> {
  if (!deps.config.ADMIN_CHANNEL_ID) throw new AppError('conflict', 'ADMIN_CHANNEL_ID unset', NO_ADMIN_CHANNEL);
  const ctx = deps.context();
  const options = await takeoverOptions(ctx, subscriptionRef);
  try {
    await client.views.open({ trigger_id: triggerId, view: takeoverModal(options, ctx.timeZone) });
  } catch (error) {
    throw slackCallFailed(error, 'The take-over form could not be opened');
  }
}
