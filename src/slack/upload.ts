/**
 * Uploads a file to a conversation the way files.uploadV2 does (getUploadURLExternal, POST the
 * bytes, completeUploadExternal). A CSV export streams from disk; a report's chart is a few
 * kilobytes in memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { webApi } from '@slack/bolt';
import { AppError, isAppError } from '../domain/errors.js';
import { uploadBytes } from '../outbox/upload.js';
import { slackCallFailed, slackErrorCode } from './slack-errors.js';

export interface FileToUpload {
  path: string;
  bytes: number;
  filename: string;
  title: string;
  channelId: string;
  initialComment?: string;
}

/** Bytes read from the file at a time: the upload holds about one such chunk. */
const READ_CHUNK = 256 * 1024;

/**
 * Buffers the chunks are read into, in turn. A chunk is in use from the read that fills it until
 * the socket has taken it: the stream reads one chunk ahead (highWaterMark 1), and fetch's writer
 * (undici's, either version) asks for the next chunk only once the socket has drained the one
 * before: two are in use at once (test/slack/upload-file.test.ts sends ten chunks; with one
 * buffer the bytes come out wrong), four leave room. A buffer a chunk (as before) left a 45 MB
 * upload's bytes as garbage outside the heap, which V8 collects only after some 64 MB of it: the
 * upload alone grew the process by about 70 MB, now by about 40.
 */
const READ_BUFFERS = 4;

/**
 * The file as a web stream read a chunk at a time, when the request asks for more (pull): the
 * stream Readable.toWeb(createReadStream()) makes read ahead of the upload, and held a 45 MB
 * export's bytes three times over in memory. The caller owns the handle and closes it.
 */
function fileStream(handle: FileHandle): ReadableStream<Uint8Array> {
  const buffers = Array.from({ length: READ_BUFFERS }, () => Buffer.allocUnsafe(READ_CHUNK));
  let reads = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = buffers[reads++ % READ_BUFFERS]!;
        const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, null);
        if (bytesRead > 0) controller.enqueue(chunk.subarray(0, bytesRead));
        else controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

/** `send` carries the bytes: a fetch with a deadline (see slack-http.ts). */
export async function uploadFile(client: webApi.WebClient, file: FileToUpload, send: typeof fetch): Promise<{ fileId: string }> {
  // Opened first: a file that cannot be read asks Slack for nothing.
  const handle = await open(file.path, 'r');
  try {
    return await uploadBytes(client, { ...file, content: () => fileStream(handle) }, send, (error) => {
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
  } finally {
    await handle.close().catch(() => undefined);
  }
}
