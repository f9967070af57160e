/** App Home's quick buttons: post the pending digest now, or refresh the dashboard. */
import { postDigest } from '../../../services/post-digest.js';
import { publishHome } from '../../app-home.js';
import { describeDigestResult } from '../../blocks/digest.js';
import { digestDeps, type SlackDeps } from '../../deps.js';
import type { ActionArgs } from '../args.js';

export function homeRefreshCallback(deps: SlackDeps) {
  return async ({ ack, body, client, logger }: ActionArgs) => {
    await ack();
    try {
      await publishHome(client, deps, body.user.id);
    } catch (error) {
      logger.error('Could not refresh the App Home', error);
    }
  };
}

export function homeDigestCallback(deps: SlackDeps) {
  return async ({ ack, body, client, logger }: ActionArgs) => {
    await ack();
    try {
      const ctx = deps.context();
      const result = await postDigest(ctx, digestDeps(deps), { skipEmpty: true });
      if (result.status === 'posted') deps.kickOutbox();
      await publishHome(client, deps, body.user.id, describeDigestResult(result, deps.config, ctx.timeZone));
    } catch (error) {
      logger.error('Could not post the digest from App Home', error);
    }
  };
}
