/** The public shapes of the Slack emulator: what it is seeded with, records and keeps. */

export interface EmulatedUser {
  id: string;
  name: string;
  real_name: string;
  email?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  tz?: string;
  deleted?: boolean;
}

export interface EmulatedUserGroup {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

export interface SlackEmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Bearer tokens the Web API accepts; the first is `emulator.botToken`. */
  tokens?: string[];
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: EmulatedUser[];
  userGroups?: EmulatedUserGroup[];
}

/** What the next call to a method answers instead of its normal reply. */
export type EmulatorFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 | 504; body?: string }
  | { ok: false; error: string }
  /** An answer Slack would not give (fields missing): what the bot does with a surprise. */
  | ({ ok: true } & Record<string, unknown>)
  /** Never answers: the call hangs until the caller gives up (or the emulator is reset or closed). */
  | { hang: true };

export interface RecordedCall {
  /** A Web API method (`chat.postMessage`), or `upload` for bytes sent to an upload URL. */
  method: string;
  /** Arguments as parsed from the body: form fields with JSON fields (blocks, view, files) decoded. */
  args: Record<string, unknown>;
  time: Date;
  /** HTTP status answered. */
  status: number;
  /** JSON answered (or the text body of an HTTP failure). */
  response: unknown;
}

export interface ResponseUrlPost {
  url: string;
  channel: string;
  user: string;
  body: Record<string, unknown>;
  time: Date;
  status: number;
}

export type EmulatorActivity = { kind: 'call'; call: RecordedCall } | { kind: 'response_url'; post: ResponseUrlPost };

export interface EmulatedFileRef {
  id: string;
  name: string;
  title: string;
}

export interface EmulatedMessage {
  type: 'message';
  ts: string;
  channel: string;
  user: string;
  /** Set on the bot's messages; absent on a user's (an upload). */
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  edited?: { user: string; ts: string };
  files?: EmulatedFileRef[];
}

export interface EmulatedEphemeralMessage {
  message_ts: string;
  channel: string;
  /** The only user who sees it. */
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  source: 'chat.postEphemeral' | 'response_url';
}

export interface EmulatedView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  /** Whose screen it is on (not part of Slack's view object). */
  user_id: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface EmulatedFile {
  id: string;
  name: string;
  title: string;
  /** The length declared to files.getUploadURLExternal. */
  length: number;
  alt_text?: string;
  snippet_type?: string;
  mimetype: string;
  /** The bytes received at the upload URL (undefined until then). */
  content?: Buffer;
  completed: boolean;
  /** Who uploaded it: a user (`uploadAsUser`), else the bot. */
  user?: string;
  /** Unix seconds of the upload (files.list sorts by it). */
  created?: number;
  /** Where files.completeUploadExternal (or a user's upload) shared it. */
  channel?: string;
  message_ts?: string;
  initial_comment?: string;
}
