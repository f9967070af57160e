/** App Home's quick buttons: post the pending digest now, or refresh the dashboard. */
import type { App } from '@slack/bolt';
import { postDigest } from '../../../services/post-digest.js';
import { digestDeps, type SlackDeps } from '../../deps.js';
import { publishHome } from '../../app-home.js';
import { ACTIONS } from '../../blocks/action-ids.js';
import { describeDigestResult } from '../../blocks/digest.js';

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.homeRefresh, async ({ ack, body, client, logger }) => {
    await ack();
    try {
      await publishHome(client, deps, body.user.id);
    } catch (error) {
      logger.error('Could not refresh the App Home', error);
    }
  });

  app.action(ACTIONS.homeDigest, async ({ ack, body, client, logger }) => {
    await ack();
    try {
      const ctx = deps.context();
      const result = await postDigest(ctx, digestDeps(deps), { skipEmpty: true });
      if (result.status === 'posted') deps.kickOutbox();
      await publishHome(client, deps, body.user.id, describeDigestResult(result, deps.config, ctx.timeZone));
    } catch (error) {
      logger.error('Could not post the digest from App Home', error);
    }
  });
}
