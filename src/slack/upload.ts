/**
 * Uploads a file to a conversation the way files.uploadV2 does (getUploadURLExternal, POST the
 * bytes, completeUploadExternal), but streams the file from disk instead of buffering it.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { AppError } from '../domain/errors.js';

export interface FileToUpload {
  path: string;
  bytes: number;
  filename: string;
  title: string;
  channelId: string;
  initialComment?: string;
}

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export async function uploadFile(client: webApi.WebClient, file: FileToUpload): Promise<{ fileId: string }> {
  try {
    const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({
      filename: file.filename,
      length: file.bytes,
    });
    if (!uploadUrl || !fileId) throw new Error('files.getUploadURLExternal returned no upload_url/file_id');
    const response = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes) },
      body: Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    if (!response.ok) throw new Error(`file upload answered HTTP ${response.status}`);
    await client.files.completeUploadExternal({
      files: [{ id: fileId, title: file.title }],
      channel_id: file.channelId,
      ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
    });
    return { fileId };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'not_in_channel' || code === 'channel_not_found' || code === 'access_denied') {
      throw new AppError(
        'bad_input',
        `upload refused: ${code}`,
        'I cannot post files in this conversation. Invite me with `/invite @Purchase Governance`, or run the export in a direct message with the app.',
        { cause: error },
      );
    }
    throw error;
  }
}
