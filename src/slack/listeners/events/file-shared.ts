/**
 * A file shared in the app's DM (a `message` event, subtype file_share): the bot answers a CSV
 * from an admin with an Import this file button, since a slash command cannot carry a file.
 * Events pass the admin middleware (App Home answers everyone), so this listener applies its
 * rules itself: the event must name exactly one well-formed user, who must be an admin; anyone
 * else is refused in the DM, as for every command, and the attempt is audited.
 */
import { z } from 'zod';
import { SLACK_USER_ID } from '../../../config.js';
import { recordAccessDenied } from '../../../services/audit.js';
import { importOfferMessage } from '../../blocks/import.js';
import type { SlackDeps } from '../../deps.js';
import { REFUSAL, UNIDENTIFIED_ACTOR, UNIDENTIFIED_REFUSAL } from '../../middleware/authorize.js';
import { slackProblem } from '../../slack-errors.js';
import { isCsvFile } from '../../uploaded-files.js';
import type { EventArgs } from '../args.js';

const fileShare = z.object({
  subtype: z.literal('file_share'),
  channel_type: z.literal('im'),
  channel: z.string().min(1),
  user: z.unknown(),
  files: z.array(z.object({ id: z.string(), name: z.string().default('upload.csv'), filetype: z.string().optional(), mimetype: z.string().optional() })).min(1),
});

const ATTEMPT = { kind: 'event', name: 'file upload' } as const;

/** The one user id the event names, or undefined when it names none, several, or something else. */
function userOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 32 && SLACK_USER_ID.test(value) ? value : undefined;
}

export function fileSharedCallback(deps: SlackDeps) {
  return async ({ event, client, logger }: EventArgs<'message'>) => {
    const shared = fileShare.safeParse(event);
    if (!shared.success) return;
    const { channel, files } = shared.data;
    const user = userOf(shared.data.user);
    try {
      if (!user) {
        logger.info('Refused a file shared in the app’s DM: the event did not name exactly one valid user');
        await recordAccessDenied(deps.context(), { slackUserId: UNIDENTIFIED_ACTOR }, ATTEMPT, 'no single valid user id');
        await client.chat.postMessage({ channel, text: UNIDENTIFIED_REFUSAL });
        return;
      }
      let admin: boolean;
      try {
        admin = await deps.admins.isAdmin(user);
      } catch (error) {
        logger.warn(`Could not check whether ${user} is an admin`, error);
        await recordAccessDenied(deps.context(), { slackUserId: user }, ATTEMPT, 'the admin check failed');
        await client.chat.postMessage({
          channel,
          text: `The bot could not check whether you are an admin: ${slackProblem(error) ?? 'an unexpected error. Try again in a moment.'}`,
        });
        return;
      }
      if (!admin) {
        logger.info(`Refused a file shared in the app’s DM by non-admin ${user}`);
        await recordAccessDenied(deps.context(), { slackUserId: user }, ATTEMPT);
        await client.chat.postMessage({ channel, text: REFUSAL });
        return;
      }
      const csvs = files.filter(isCsvFile);
      if (csvs.length === 0) {
        await client.chat.postMessage({
          channel,
          text: 'To import into the record, upload a CSV file (the bot’s template or an admin center export). `/purchases help` lists what I do.',
        });
        return;
      }
      for (const file of csvs) await client.chat.postMessage({ channel, ...importOfferMessage(file) });
    } catch (error) {
      logger.error('Could not answer a file shared in the app’s DM', error);
    }
  };
}
