/**
 * App Home's quick buttons: post the pending digest now, or refresh the dashboard. A Home tab
 * has no thread to answer in: a failure is shown on the tab itself, at its top.
 */
import { findSavings } from '../../../services/find-savings.js';
import { postDigest } from '../../../services/post-digest.js';
import { publishHome, publishHomeFailure } from '../../app-home.js';
import { describeDigestResult } from '../../blocks/digest.js';
import { digestDeps, savingsDeps, type SlackDeps } from '../../deps.js';
import type { ActionArgs } from '../args.js';

export function homeRefreshCallback(deps: SlackDeps) {
  return async ({ ack, body, client, logger }: ActionArgs) => {
    await ack();
    try {
      // The top savings are found afresh here only: publishing after other changes shows the last ones found.
      await findSavings(deps.context(), savingsDeps(deps));
      await publishHome(client, deps, body.user.id);
    } catch (error) {
      await publishHomeFailure(client, deps, body.user.id, 'The dashboard could not be refreshed', error, logger);
    }
  };
}

export function homeDigestCallback(deps: SlackDeps) {
  return async ({ ack, body, client, logger }: ActionArgs) => {
    await ack();
    const ctx = deps.context();
    let notice: string;
    try {
      const result = await postDigest(ctx, digestDeps(deps), { skipEmpty: true, requestedBy: body.user.id });
      if (result.status === 'posted') deps.kickOutbox();
      notice = describeDigestResult(result, deps.config, ctx.timeZone);
    } catch (error) {
      await publishHomeFailure(client, deps, body.user.id, 'The digest could not be posted', error, logger);
      return;
    }
    try {
      await publishHome(client, deps, body.user.id, notice);
    } catch (error) {
      logger.error('The digest was posted, but the Home tab could not say so', error);
    }
  };
}
