/** Import this file: under a CSV an admin uploaded to the app's DM. */
import { z } from 'zod';
import { importReportMessage } from '../../blocks/import.js';
import type { SlackDeps } from '../../deps.js';
import { ephemeral, replyingErrors } from '../../reply.js';
import type { ActionArgs } from '../args.js';
import { importUploadedFile } from '../import-upload.js';

/** Slack file ids: F and upper-case letters and digits. */
const fileValue = z.object({ value: z.string().regex(/^F[A-Z0-9]{2,}$/) });

export function importFileCallback(deps: SlackDeps) {
  return async ({ action, body, ack, respond, client, logger }: ActionArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const { value } = fileValue.parse(action);
      const report = await importUploadedFile(client, deps, { userId: body.user.id, fileId: value });
      await respond(ephemeral(importReportMessage(report, deps.context().timeZone)));
    });
  };
}
