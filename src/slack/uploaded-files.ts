/**
 * CSV files an admin uploaded to the app's DM, read with the bot token. A slash command cannot
 * carry a file, so the admin uploads it to the app's Messages tab (the bot offers "Import this
 * file" under it), or runs `/purchases import` to import the newest CSV they uploaded there.
 * files.info / files.list need the files:read scope; the bytes come from the file's private URL
 * with the bot token as a bearer token (without it Slack answers with its sign-in page).
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { slackCallFailed, slackErrorCode } from './slack-errors.js';

/** Larger than any export of a tenant's holders; a guard against reading something else whole. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** The fields of a Slack file object the import relies on. */
const fileSchema = z.object({
  id: z.string(),
  name: z.string().default('upload.csv'),
  user: z.string().optional(),
  created: z.number().optional(),
  size: z.number().optional(),
  filetype: z.string().optional(),
  mimetype: z.string().optional(),
  url_private: z.string().optional(),
  url_private_download: z.string().optional(),
});
export type SlackFile = z.infer<typeof fileSchema>;

export interface UploadedFile {
  name: string;
  content: Buffer;
}

/** A CSV by its type, MIME type or name (Excel's "CSV UTF-8" is text/csv; some clients say text/plain). */
export function isCsvFile(file: Pick<SlackFile, 'name' | 'filetype' | 'mimetype'>): boolean {
  return file.filetype === 'csv' || file.mimetype === 'text/csv' || /\.csv$/i.test(file.name);
}

/** Slack's refusals of files.* as sentences; any other failure of the call as slack-errors.ts words it. */
function explained(error: unknown, what: string): never {
  const code = slackErrorCode(error);
  if (code === 'missing_scope' || code === 'not_allowed_token_type') {
    throw new AppError(
      'tenant_forbidden',
      `files.* refused: ${code}`,
      'The Slack app may not read files: add the `files:read` bot scope (manifest.yml lists it) under OAuth & Permissions, then reinstall the app to your workspace.',
      { cause: error },
    );
  }
  if (code === 'file_not_found' || code === 'file_deleted') {
    throw new AppError('not_found', `file ${code}`, 'That file is no longer in Slack (deleted?): upload it again to this app’s Messages tab.', {
      cause: error,
    });
  }
  throw slackCallFailed(error, what);
}

/** The newest CSV `userId` uploaded to the app's DM, or undefined. */
export async function latestUploadedCsv(client: webApi.WebClient, userId: string): Promise<SlackFile | undefined> {
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) return undefined;
    const listed = await client.files.list({ user: userId, channel, count: 50 });
    const files = z
      .array(fileSchema)
      .catch([])
      .parse(listed.files ?? []);
    return files.filter(isCsvFile).sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
  } catch (error) {
    return explained(error, 'Your uploads could not be listed');
  }
}

/** How the bytes are fetched: with the bot token, and a fetch with a deadline that stops with the bot. */
export interface FileReader {
  botToken: string;
  fetch: typeof fetch;
}

/** Reads a file's bytes; refuses one that is not a CSV, is too large, or that Slack will not give. */
export async function downloadCsv(client: webApi.WebClient, reader: FileReader, fileId: string): Promise<UploadedFile> {
  let file: SlackFile;
  try {
    const info = await client.files.info({ file: fileId });
    file = fileSchema.parse(info.file);
  } catch (error) {
    if (error instanceof z.ZodError)
      throw new AppError('tenant_unavailable', 'files.info without a file', 'Slack did not describe that file: upload it again.');
    return explained(error, 'Slack did not describe that file');
  }
  if (!isCsvFile(file)) {
    throw new AppError(
      'bad_input',
      `not a CSV: ${file.name}`,
      `\`${file.name}\` is not a CSV file. Export the list as CSV (comma, semicolon or tab separated) and upload that.`,
    );
  }
  if ((file.size ?? 0) > MAX_IMPORT_BYTES) {
    throw new AppError(
      'bad_input',
      `file too large: ${file.size}`,
      `\`${file.name}\` is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it, or run \`npm run import\` on the bot's host.`,
    );
  }
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new AppError('tenant_unavailable', 'file without url_private', `Slack gave no address for \`${file.name}\`: upload it again.`);
  let response: Response;
  try {
    response = await reader.fetch(url, { headers: { Authorization: `Bearer ${reader.botToken}` }, redirect: 'follow' });
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? 'Slack did not hand it over in time' : 'the bot could not reach Slack';
    throw new AppError(
      'tenant_unavailable',
      `download of ${file.id} failed: ${String(error)}`,
      `\`${file.name}\` could not be read: ${why}. Try again in a moment.`,
      { cause: error },
    );
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || type.startsWith('text/html')) {
    throw new AppError(
      'tenant_forbidden',
      `download of ${file.id} answered ${response.status} ${type}`,
      `Slack did not hand over \`${file.name}\` (HTTP ${response.status}${type.startsWith('text/html') ? ', a sign-in page' : ''}): the app needs the \`files:read\` scope and must be reinstalled after it is added.`,
    );
  }
  let content: Buffer;
  try {
    content = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new AppError(
      'tenant_unavailable',
      `download of ${file.id} broke off: ${String(error)}`,
      `\`${file.name}\` could not be read whole from Slack. Try again in a moment.`,
      { cause: error },
    );
  }
  if (content.length > MAX_IMPORT_BYTES) {
    throw new AppError(
      'bad_input',
      `file too large: ${content.length}`,
      `\`${file.name}\` is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it, or run \`npm run import\` on the bot's host.`,
    );
  }
  return { name: file.name, content };
}
