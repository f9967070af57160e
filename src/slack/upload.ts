/**
 * Uploads a file to a conversation the way files.uploadV2 does (getUploadURLExternal, POST the
 * bytes, completeUploadExternal), but streams the file from disk instead of buffering it.
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

/** `send` carries the bytes: a fetch with a deadline (see slack-http.ts). */
export async function uploadFile(client: webApi.WebClient, file: FileToUpload, send: typeof fetch): Promise<{ fileId: string }> {
  try {
    const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({
      filename: file.filename,
      length: file.bytes,
    });
    if (!uploadUrl || !fileId) throw new Error('files.getUploadURLExternal returned no upload_url/file_id');
    let response: Response;
    try {
      response = await send(uploadUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes) },
        body: Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
    } catch (error) {
      const late = (error as { name?: string }).name === 'TimeoutError';
      throw new AppError(
        'tenant_unavailable',
        `file upload failed: ${(error as Error).message}`,
        late
          ? 'The CSV could not be uploaded: Slack did not take the file in time. Try again in a moment.'
          : 'The CSV could not be uploaded: the bot could not reach Slack. Try again in a moment.',
        { cause: error },
      );
    }
    if (!response.ok) {
      throw new AppError(
        'tenant_unavailable',
        `file upload answered HTTP ${response.status}`,
        `The CSV could not be uploaded: Slack answered HTTP ${response.status}. Try again in a moment.`,
      );
    }
    await client.files.completeUploadExternal({
      files: [{ id: fileId, title: file.title }],
      channel_id: file.channelId,
      ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
    });
    return { fileId };
  } catch (error) {
    const code = slackErrorCode(error);
    if (isAppError(error)) throw error;
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
