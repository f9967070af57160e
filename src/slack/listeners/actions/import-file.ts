/** Import this file: under a CSV an admin uploaded to the app's DM. */
import { z } from 'zod';
import { importReportMessage } from '../../blocks/import.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { importUploadedFile } from '../import-upload.js';
import { buttonValue } from '../values.js';

/** Slack file ids: F and upper-case letters and digits. */
const SLACK_FILE_ID = z.string().regex(/^F[A-Z0-9]{2,40}$/);

export function importFileCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const fileId = buttonValue(action, SLACK_FILE_ID, 'a Slack file id');
      const report = await importUploadedFile(client, deps, { userId: body.user.id, fileId });
      await respond(ephemeral(importReportMessage(report, deps.context().timeZone)));
    });
  };
}
