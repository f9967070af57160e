/** Imports a CSV an admin uploaded to the app's DM (from the command or the Import this file button). */
import type { webApi } from '@slack/bolt';
import type { ImportReport } from '../../services/import/import-csv.js';
import { importCsv } from '../../services/import/import-csv.js';
import type { SlackDeps } from '../deps.js';
import { downloadCsv } from '../uploaded-files.js';

export async function importUploadedFile(
  client: webApi.WebClient,
  deps: SlackDeps,
  input: { userId: string; fileId: string; product?: string | undefined },
): Promise<ImportReport> {
  const file = await downloadCsv(client, { botToken: deps.config.SLACK_BOT_TOKEN, fetch: deps.uploadFetch }, input.fileId);
  return importCsv(deps.context(), { slackUserId: input.userId }, { fileName: file.name, content: file.content, product: input.product });
}
