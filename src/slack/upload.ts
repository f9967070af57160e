/**
 * Uploads a file to a conversation the way files.uploadV2 does (getUploadURLExternal, POST the
 * bytes, completeUploadExternal). A CSV export streams from disk; a report's chart is a few
 * kilobytes in memory.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { AppError, isAppError } from '../domain/errors.js';
import { slackCallFailed, slackErrorCode } from './slack-errors.js';

export interface FileToUpload {
  path: string;
  bytes: number;
  filename: string;
  title: string;
  channelId: string;
  initialComment?: string;
}

export interface BytesToUpload {
  content: Buffer | (() => ReadableStream<Uint8Array>);
  bytes: number;
  filename: string;
  title: string;
  channelId: string;
  initialComment?: string;
  /** What an image shows, for screen readers. */
  altText?: string;
}

/** The three steps, with Slack's and the network's errors as they come (the outbox classifies them). */
export async function uploadBytes(
  client: webApi.WebClient,
  file: BytesToUpload,
  send: typeof fetch,
  onPostFailed?: (error: unknown) => never,
): Promise<{ fileId: string }> {
  const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({
    filename: file.filename,
    length: file.bytes,
    // Slack's method takes alt_txt (at most 1000 characters); the SDK's typings say alt_text.
    ...(file.altText ? { alt_txt: file.altText.slice(0, 1000) } : {}),
  });
  if (!uploadUrl || !fileId) throw new Error('files.getUploadURLExternal returned no upload_url/file_id');
  let response: Response;
  try {
    response = await send(uploadUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes) },
      body: typeof file.content === 'function' ? file.content() : new Uint8Array(file.content),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
  } catch (error) {
    if (onPostFailed) onPostFailed(error);
    throw error;
  }
  if (!response.ok) {
    const message = `file upload answered HTTP ${response.status}`;
    throw Object.assign(new Error(message), { code: 'slack_webapi_http_error', statusCode: response.status, upload: true });
  }
  await client.files.completeUploadExternal({
    files: [{ id: fileId, title: file.title }],
    channel_id: file.channelId,
    ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
  });
  return { fileId };
}

/** `send` carries the bytes: a fetch with a deadline (see slack-http.ts). */
export async function uploadFile(client: webApi.WebClient, file: FileToUpload, send: typeof fetch): Promise<{ fileId: string }> {
  try {
    return await uploadBytes(client, { ...file, content: () => Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array> }, send, (error) => {
      const late = (error as { name?: string }).name === 'TimeoutError';
      throw new AppError(
        'tenant_unavailable',
        `file upload failed: ${(error as Error).message}`,
        late
          ? 'The CSV could not be uploaded: Slack did not take the file in time. Try again in a moment.'
          : 'The CSV could not be uploaded: the bot could not reach Slack. Try again in a moment.',
        { cause: error },
      );
    });
  } catch (error) {
    const code = slackErrorCode(error);
    if (isAppError(error)) throw error;
    if ((error as { upload?: boolean }).upload) {
      const status = (error as { statusCode?: number }).statusCode;
      throw new AppError(
        'tenant_unavailable',
        `file upload answered HTTP ${status}`,
        `The CSV could not be uploaded: Slack answered HTTP ${status}. Try again in a moment.`,
      );
    }
    if (code === 'not_in_channel' || code === 'channel_not_found' || code === 'access_denied') {
      throw new AppError(
        'bad_input',
        `upload refused: ${code}`,
        'I cannot post files in this conversation. Invite me with `/invite @Purchase Governance`, or run the export in a direct message with the app.',
        { cause: error },
      );
    }
    throw slackCallFailed(error, 'The CSV could not be uploaded');
  }
}
