/**
 * Reading request bodies the way Slack's servers accept them: form-encoded (what @slack/web-api
 * sends, with blocks/view/files JSON-stringified), JSON, multipart (file bytes) or raw bytes.
 */
import type { IncomingMessage } from 'node:http';

/** Fields a form-encoded Web API call carries as JSON text. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function decodeJsonField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // left as text: the handler answers invalid_blocks_format / invalid_arguments
  }
}

export interface ParsedBody {
  fields: Record<string, unknown>;
  /** File parts of a multipart body, by field name. */
  files: Map<string, Buffer>;
  raw: Buffer;
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const fields: Record<string, unknown> = {};
  const files = new Map<string, Buffer>();
  if (type === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) fields[key] = decodeJsonField(key, value);
  } else if (type === 'application/json') {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(fields, parsed);
  } else if (type === 'multipart/form-data') {
    // Node's fetch Response parses multipart bodies; no parser dependency needed.
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType ?? '' } }).formData();
    for (const [key, value] of form) {
      if (typeof value === 'string') fields[key] = decodeJsonField(key, value);
      else files.set(key, Buffer.from(await value.arrayBuffer()));
    }
  }
  return { fields, files, raw };
}
