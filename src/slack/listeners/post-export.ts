import type { RespondFn, webApi } from '@slack/bolt';
import type { CsvExport } from '../../services/export-users.js';
import { ephemeral } from '../reply.js';
import { plural } from '../../domain/plural.js';
import { escapeMrkdwn, mrkdwn } from '../blocks/text.js';
import { uploadFile } from '../upload.js';

/** Uploads a prepared CSV to the conversation it was asked in, then removes the temporary file. */
export async function postExport(
  client: webApi.WebClient,
  respond: RespondFn,
  csv: CsvExport,
  where: { channelId: string; userId: string },
  send: typeof fetch,
): Promise<void> {
  try {
    await uploadFile(
      client,
      {
        path: csv.path,
        bytes: csv.bytes,
        filename: csv.filename,
        title: csv.title,
        channelId: where.channelId,
        initialComment: `<@${where.userId}> asked for the licensed users of ${escapeMrkdwn(csv.label)}: ${plural(csv.rows, 'user')}.`,
      },
      send,
    );
  } finally {
    await csv.dispose();
  }
  const unattributed =
    csv.unattributed > 0
      ? ` ${csv.unattributed} of them hold the product in Microsoft 365 without being attributed to a subscription: their rows have no subscription id.`
      : '';
  const text = `Uploaded \`${csv.filename}\` (${plural(csv.rows, 'user')}) to this conversation.${unattributed}`;
  await respond(ephemeral({ text, blocks: [{ type: 'section', text: mrkdwn(`:page_facing_up: ${text}`) }] }));
}
