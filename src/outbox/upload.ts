/**
 * The three steps of a file upload, the way files.uploadV2 does them (getUploadURLExternal, POST
 * the bytes, completeUploadExternal), with Slack's and the network's errors as they come: the
 * outbox delivers a report's chart with it and classifies them; slack/upload.ts streams a CSV
 * export through it and words them.
 */
import type { webApi } from '@slack/bolt';

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
      // fetch states the length of bytes in memory itself; a second Content-Length makes undici 7 refuse
      // the request ("invalid content-length header"), and Socket Mode loads undici 7 as fetch's
      // dispatcher. A stream's length only we know.
      headers: { 'Content-Type': 'application/octet-stream', ...(typeof file.content === 'function' ? { 'Content-Length': String(file.bytes) } : {}) },
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
