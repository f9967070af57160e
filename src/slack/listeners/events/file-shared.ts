/**
 * A file shared in the app's DM (a `message` event, subtype file_share): the bot answers a CSV
 * from an admin with an Import this file button, since a slash command cannot carry a file.
 * Anyone else is refused, as for every command, and the attempt is audited.
 */
import { z } from 'zod';
import { recordAccessDenied } from '../../../services/audit.js';
import { importOfferMessage } from '../../blocks/import.js';
import type { SlackDeps } from '../../deps.js';
import { REFUSAL } from '../../middleware/authorize.js';
import { isCsvFile } from '../../uploaded-files.js';
import type { EventArgs } from '../args.js';

const fileShare = z.object({
  subtype: z.literal('file_share'),
  channel_type: z.literal('im'),
  channel: z.string(),
  user: z.string(),
  files: z.array(z.object({ id: z.string(), name: z.string().default('upload.csv'), filetype: z.string().optional(), mimetype: z.string().optional() })).min(1),
});

export function fileSharedCallback(deps: SlackDeps) {
  return async ({ event, client, logger }: EventArgs<'message'>) => {
    const shared = fileShare.safeParse(event);
    if (!shared.success) return;
    const { channel, user, files } = shared.data;
    try {
      if (!(await deps.admins.isAdmin(user))) {
        await recordAccessDenied(deps.context(), { slackUserId: user }, { kind: 'command', name: 'file upload' });
        await client.chat.postMessage({ channel, text: REFUSAL });
        return;
      }
      const csvs = files.filter(isCsvFile);
      if (csvs.length === 0) {
        await client.chat.postMessage({ channel, text: 'To import into the record, upload a CSV file (the bot’s template or an admin center export). `/purchases help` lists what I do.' });
        return;
      }
      for (const file of csvs) await client.chat.postMessage({ channel, ...importOfferMessage(file) });
    } catch (error) {
      logger.error('Could not answer a file shared in the app’s DM', error);
    }
  };
}
