/**
 * The Web API methods the emulator answers, with Slack's documented reply shapes and error codes.
 * Each handler takes the parsed arguments and the workspace and returns the JSON body to send.
 */
import { checkBlockKit, type BlockKitViolation } from '../../slack/blocks/limits.js';
import type { EmulatedFile, EmulatedMessage, EmulatedUser, EmulatedView } from './types.js';
import type { Workspace } from './workspace.js';

export type SlackArgs = Record<string, unknown>;
export type SlackReply = { ok: boolean } & Record<string, unknown>;

export interface MethodContext {
  ws: Workspace;
  args: SlackArgs;
  /** The emulator's own origin, e.g. http://127.0.0.1:4567, for URLs it hands out. */
  origin: string;
}

type Handler = (ctx: MethodContext) => SlackReply;

export function slackError(error: string, extra: Record<string, unknown> = {}): SlackReply {
  return { ok: false, error, ...extra };
}

function str(args: SlackArgs, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `blocks[3].text.text` -> `/blocks/3/text/text`, the pointer format of Slack's error messages. */
function jsonPointer(prefix: string, path: string): string {
  return `${prefix}/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

function describe(violations: BlockKitViolation[], prefix: string): string[] {
  return violations.map((v) => `${v.message} [json-pointer:${jsonPointer(prefix, v.path)}]`);
}

/** chat.* answer for bad blocks: `invalid_blocks` with the reasons, as Slack sends them. */
export function invalidBlocks(violations: BlockKitViolation[]): SlackReply {
  const errors = describe(violations, '');
  return slackError('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/** views.* answer for a bad view: Slack says `invalid_arguments` and points into `/view`. */
function invalidView(violations: BlockKitViolation[]): SlackReply {
  const messages = describe(violations, '/view').map((e) => `[ERROR] ${e}`);
  return slackError('invalid_arguments', { response_metadata: { messages } });
}

export interface MessageContent {
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** Text and blocks of a chat.* call or response_url post, checked like Slack checks them. */
export function messageContent(args: SlackArgs, { requireContent = true } = {}): MessageContent | SlackReply {
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return slackError('invalid_blocks_format');
  const text = str(args, 'text') ?? '';
  if (requireContent && text === '' && !(blocks && blocks.length > 0) && args.attachments === undefined) {
    return slackError('no_text');
  }
  const violations = checkBlockKit('message', { blocks, text });
  if (violations.some((v) => v.path === 'text')) return slackError('msg_too_long');
  if (violations.length > 0) return invalidBlocks(violations);
  const threadTs = str(args, 'thread_ts');
  return { text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) };
}

function isReply(value: MessageContent | SlackReply): value is SlackReply {
  return 'ok' in value;
}

function publicMessage(message: EmulatedMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = message;
  return rest;
}

function publicView(view: EmulatedView): Record<string, unknown> {
  const { user_id: _user, ...rest } = view;
  return rest;
}

function publicUser(user: EmulatedUser, teamId: string): Record<string, unknown> {
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: user.real_name,
    tz: user.tz ?? 'Europe/Amsterdam',
    is_admin: user.is_admin ?? false,
    is_owner: false,
    is_bot: user.is_bot ?? false,
    is_app_user: false,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.name,
      ...(user.email ? { email: user.email } : {}),
    },
  };
}

/** Where a file's bytes are served: only with the bot token (Authorization: Bearer), as Slack does. */
export function privateFilePath(ws: Workspace, file: EmulatedFile): string {
  return `/files-pri/${ws.identity.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
}

function publicFile(file: EmulatedFile, ws: Workspace, origin: string): Record<string, unknown> {
  const extension = file.name.includes('.') ? file.name.split('.').pop() : undefined;
  const url = `${origin}${privateFilePath(ws, file)}`;
  return {
    id: file.id,
    created: file.created ?? 0,
    timestamp: file.created ?? 0,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: extension ?? 'binary',
    user: file.user ?? ws.identity.botUserId,
    size: file.content?.length ?? file.length,
    is_external: false,
    url_private: url,
    url_private_download: `${url}?download=1`,
    channels: file.channel?.startsWith('C') ? [file.channel] : [],
    ims: file.channel?.startsWith('D') ? [file.channel] : [],
    groups: file.channel?.startsWith('G') ? [file.channel] : [],
  };
}

const MIME_TYPES: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
};

function mimetypeOf(filename: string): string {
  return MIME_TYPES[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

type ParsedView = { raw: Record<string, unknown> } | { error: SlackReply };

function parseView(value: unknown, surface: 'modal' | 'home'): ParsedView {
  if (!isRecord(value)) {
    return { error: slackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } }) };
  }
  const violations = checkBlockKit(surface, value);
  if (value.type !== surface && !violations.some((v) => v.path === 'type')) {
    violations.unshift({ path: 'type', message: `must be "${surface}"` });
  }
  return violations.length > 0 ? { error: invalidView(violations) } : { raw: value };
}

function buildView(ws: Workspace, raw: Record<string, unknown>, at: { id: string; user: string; root: string | null; previous: string | null }): EmulatedView {
  const { teamId, appId, botId } = ws.identity;
  return {
    id: at.id,
    team_id: teamId,
    type: raw.type === 'home' ? 'home' : 'modal',
    user_id: at.user,
    ...(raw.title !== undefined ? { title: raw.title } : {}),
    ...(raw.submit !== undefined ? { submit: raw.submit } : {}),
    ...(raw.close !== undefined ? { close: raw.close } : {}),
    blocks: Array.isArray(raw.blocks) ? raw.blocks : [],
    private_metadata: typeof raw.private_metadata === 'string' ? raw.private_metadata : '',
    callback_id: typeof raw.callback_id === 'string' ? raw.callback_id : '',
    external_id: typeof raw.external_id === 'string' ? raw.external_id : '',
    state: { values: {} },
    hash: ws.nextHash(),
    clear_on_close: raw.clear_on_close === true,
    notify_on_close: raw.notify_on_close === true,
    root_view_id: at.root,
    previous_view_id: at.previous,
    app_id: appId,
    app_installed_team_id: teamId,
    bot_id: botId,
  };
}

/** Takes a trigger for one use, as Slack does (they also expire after 3 s; the emulator does not). */
function takeTrigger(ws: Workspace, args: SlackArgs): { user: string; viewId?: string } | SlackReply {
  const id = str(args, 'trigger_id');
  const trigger = id ? ws.triggers.get(id) : undefined;
  if (!trigger) return slackError('invalid_trigger_id');
  if (trigger.used) return slackError('exchanged_trigger_id');
  trigger.used = true;
  return trigger;
}

function stackDepth(ws: Workspace, viewId: string | undefined): number {
  let depth = 0;
  let view = viewId ? ws.views.get(viewId) : undefined;
  while (view) {
    depth += 1;
    view = view.previous_view_id ? ws.views.get(view.previous_view_id) : undefined;
  }
  return depth;
}

function conversationIdOf(args: SlackArgs): string | undefined {
  const channel = str(args, 'channel_id') ?? str(args, 'channels');
  return channel && /^[CGD][A-Z0-9]+$/.test(channel) ? channel : undefined;
}

const handlers: Record<string, Handler> = {
  'auth.test': ({ ws, origin }) => ({
    ok: true,
    url: `${origin}/`,
    team: 'Emulated workspace',
    user: ws.users.get(ws.identity.botUserId)?.name ?? 'bot',
    team_id: ws.identity.teamId,
    user_id: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    is_enterprise_install: false,
  }),

  /**
   * Socket Mode's first call, with an app-level token (pass it in the emulator's `tokens`). The
   * emulator has no WebSocket endpoint: a client that connects to the URL fails there, as behind a
   * proxy that lets HTTPS through but not WebSockets.
   */
  'apps.connections.open': ({ origin }) => ({ ok: true, url: `${origin.replace(/^http/, 'ws')}/socket-mode/link` }),

  'chat.postMessage': ({ ws, args }) => {
    const channel = ws.resolveChannel(str(args, 'channel') ?? '');
    if (!channel) return slackError('channel_not_found');
    const content = messageContent(args);
    if (isReply(content)) return content;
    const message = ws.postMessage(channel, content);
    return { ok: true, channel, ts: message.ts, message: publicMessage(message) };
  },

  'chat.postEphemeral': ({ ws, args }) => {
    const channel = ws.resolveChannel(str(args, 'channel') ?? '');
    if (!channel) return slackError('channel_not_found');
    const user = str(args, 'user');
    if (!user) return slackError('user_not_found');
    const content = messageContent(args);
    if (isReply(content)) return content;
    const message = ws.postEphemeral(channel, user, content, 'chat.postEphemeral');
    return { ok: true, message_ts: message.message_ts };
  },

  'chat.update': ({ ws, args }) => {
    const channel = ws.resolveChannel(str(args, 'channel') ?? '');
    const ts = str(args, 'ts');
    const message = channel && ts ? ws.findMessage(channel, ts) : undefined;
    if (!channel || !ts) return slackError('channel_not_found');
    if (!message) return slackError('message_not_found');
    const content = messageContent(args, { requireContent: args.blocks === undefined && message.blocks === undefined });
    if (isReply(content)) return content;
    message.text = content.text;
    // Slack keeps the previous blocks when the update names none; an empty array removes them.
    if (content.blocks) message.blocks = content.blocks;
    message.edited = { user: ws.identity.botUserId, ts: ws.nextTs() };
    return { ok: true, channel, ts, text: message.text, message: publicMessage(message) };
  },

  'views.open': ({ ws, args }) => {
    const trigger = takeTrigger(ws, args);
    if ('ok' in trigger) return trigger;
    const parsed = parseView(args.view, 'modal');
    if ('error' in parsed) return parsed.error;
    const id = ws.newId('V');
    const view = buildView(ws, parsed.raw, { id, user: trigger.user, root: id, previous: null });
    ws.views.set(id, { ...view, open: true });
    return { ok: true, view: publicView(view) };
  },

  'views.push': ({ ws, args }) => {
    const trigger = takeTrigger(ws, args);
    if ('ok' in trigger) return trigger;
    if (stackDepth(ws, trigger.viewId) >= 3) return slackError('push_limit_reached');
    const parsed = parseView(args.view, 'modal');
    if ('error' in parsed) return parsed.error;
    const id = ws.newId('V');
    const below = trigger.viewId ? ws.views.get(trigger.viewId) : undefined;
    const view = buildView(ws, parsed.raw, {
      id,
      user: trigger.user,
      root: below?.root_view_id ?? id,
      previous: below?.id ?? null,
    });
    ws.views.set(id, { ...view, open: true });
    return { ok: true, view: publicView(view) };
  },

  'views.update': ({ ws, args }) => {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const home = viewId ? [...ws.homeViews.values()].find((v) => v.id === viewId) : undefined;
    const modal = [...ws.views.values()].find(
      (v) => v.open && ((viewId !== undefined && v.id === viewId) || (externalId !== undefined && v.external_id === externalId)),
    );
    const current = modal ?? home;
    if (!current) return slackError('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== current.hash) return slackError('hash_conflict');
    const parsed = parseView(args.view, current.type);
    if ('error' in parsed) return parsed.error;
    const view = buildView(ws, parsed.raw, {
      id: current.id,
      user: current.user_id,
      root: current.root_view_id,
      previous: current.previous_view_id,
    });
    if (modal) ws.views.set(view.id, { ...view, open: true });
    else ws.homeViews.set(view.user_id, view);
    return { ok: true, view: publicView(view) };
  },

  'views.publish': ({ ws, args }) => {
    const user = str(args, 'user_id');
    if (!user) return slackError('invalid_arguments');
    const current = ws.homeViews.get(user);
    const hash = str(args, 'hash');
    if (hash !== undefined && current && hash !== current.hash) return slackError('hash_conflict');
    const parsed = parseView(args.view, 'home');
    if ('error' in parsed) return parsed.error;
    const view = buildView(ws, parsed.raw, { id: current?.id ?? ws.newId('V'), user, root: null, previous: null });
    ws.homeViews.set(user, view);
    return { ok: true, view: publicView(view) };
  },

  'users.info': ({ ws, args }) => {
    const user = ws.users.get(str(args, 'user') ?? '');
    return user ? { ok: true, user: publicUser(user, ws.identity.teamId) } : slackError('user_not_found');
  },

  'users.lookupByEmail': ({ ws, args }) => {
    const email = str(args, 'email')?.toLowerCase();
    const user = [...ws.users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
    return user ? { ok: true, user: publicUser(user, ws.identity.teamId) } : slackError('users_not_found');
  },

  'usergroups.users.list': ({ ws, args }) => {
    const group = ws.userGroups.get(str(args, 'usergroup') ?? '');
    return group ? { ok: true, users: [...group.users] } : slackError('no_such_subteam');
  },

  'conversations.open': ({ ws, args }) => {
    const existing = str(args, 'channel');
    if (existing) return { ok: true, no_op: true, already_open: true, channel: { id: existing } };
    const users = (str(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) return slackError('users_list_not_supplied');
    if (users.some((u) => !ws.users.has(u))) return slackError('user_not_found');
    const key = [...users].sort().join(',');
    const alreadyOpen = ws.dmChannels.has(key);
    const id = ws.dmChannelFor(key);
    return { ok: true, no_op: alreadyOpen, already_open: alreadyOpen, channel: { id } };
  },

  'files.getUploadURLExternal': ({ ws, args, origin }) => {
    const filename = str(args, 'filename');
    const length = Number(str(args, 'length'));
    if (!filename || !Number.isInteger(length) || length < 0) return slackError('invalid_arguments');
    const id = ws.newId('F');
    // Slack's argument is alt_txt (files.upload v1 took alt_text): either is kept.
    const altText = str(args, 'alt_txt') ?? str(args, 'alt_text');
    const snippetType = str(args, 'snippet_type');
    ws.files.set(id, {
      id,
      name: filename,
      title: filename,
      length,
      mimetype: mimetypeOf(filename),
      completed: false,
      ...(altText ? { alt_text: altText } : {}),
      ...(snippetType ? { snippet_type: snippetType } : {}),
    });
    return { ok: true, upload_url: `${origin}/upload/v1/${id}`, file_id: id };
  },

  'files.completeUploadExternal': ({ ws, args, origin }) => {
    const entries = args.files;
    if (!Array.isArray(entries) || entries.length === 0) return slackError('invalid_arguments');
    const files: EmulatedFile[] = [];
    for (const entry of entries) {
      const file = isRecord(entry) && typeof entry.id === 'string' ? ws.files.get(entry.id) : undefined;
      if (!file || file.content === undefined) return slackError('file_not_found');
      if (isRecord(entry) && typeof entry.title === 'string') file.title = entry.title;
      files.push(file);
    }
    const wantsChannel = args.channel_id !== undefined || args.channels !== undefined;
    const channel = conversationIdOf(args);
    if (wantsChannel && !channel) return slackError('channel_not_found');
    const initialComment = str(args, 'initial_comment') ?? '';
    if (channel) {
      const content = messageContent({ text: initialComment, blocks: args.blocks, thread_ts: args.thread_ts }, { requireContent: false });
      if (isReply(content)) return content;
      const message = ws.postMessage(channel, content);
      message.files = files.map((f) => ({ id: f.id, name: f.name, title: f.title }));
      for (const file of files) {
        file.channel = channel;
        file.message_ts = message.ts;
      }
    }
    for (const file of files) {
      file.completed = true;
      if (initialComment) file.initial_comment = initialComment;
    }
    return { ok: true, files: files.map((f) => publicFile(f, ws, origin)) };
  },

  'files.info': ({ ws, args, origin }) => {
    const id = str(args, 'file');
    const file = id ? ws.files.get(id) : undefined;
    if (!file?.completed) return slackError('file_not_found');
    return { ok: true, file: publicFile(file, ws, origin), comments: [], response_metadata: { next_cursor: '' } };
  },

  'files.list': ({ ws, args, origin }) => {
    const user = str(args, 'user');
    const channel = str(args, 'channel');
    if (user && !ws.users.has(user)) return slackError('user_not_found');
    const count = Math.max(1, Math.min(1000, Number(str(args, 'count') ?? 100) || 100));
    const matching = [...ws.files.values()]
      .filter((f) => f.completed && (!user || (f.user ?? ws.identity.botUserId) === user) && (!channel || f.channel === channel))
      .sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || b.id.localeCompare(a.id));
    const files = matching.slice(0, count).map((f) => publicFile(f, ws, origin));
    return { ok: true, files, paging: { count, total: matching.length, page: 1, pages: Math.max(1, Math.ceil(matching.length / count)) } };
  },
};

export { mimetypeOf };

export function webApiHandler(method: string): Handler | undefined {
  return Object.hasOwn(handlers, method) ? handlers[method] : undefined;
}

export const EMULATED_METHODS: readonly string[] = Object.keys(handlers);
