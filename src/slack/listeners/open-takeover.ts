/** Opens the take-over modal for a subscription (from the command or a Take over button). */
import type { webApi } from '@slack/bolt';
import { takeoverOptions } from '../../services/takeover/options.js';
import type { SlackDeps } from '../deps.js';
import { takeoverModal } from '../views/takeover.js';

export async function openTakeoverModal(client: webApi.WebClient, deps: SlackDeps, triggerId: string, subscriptionRef: string): Promise<void> {
  const ctx = deps.context();
  const options = await takeoverOptions(ctx, subscriptionRef);
  await client.views.open({ trigger_id: triggerId, view: takeoverModal(options, ctx.timeZone) });
}
