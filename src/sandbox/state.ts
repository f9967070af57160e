/**
 * What the sandbox page shows one user: their conversations with the messages and ephemeral
 * messages they see, their open modal, their Home tab, the files, the Web API calls the bot made,
 * and every payload the emulator refused because it breaks Slack's Block Kit limits.
 */
import type { EmulatedFile, EmulatedView, RecordedCall, ResponseUrlPost, SlackEmulator } from '../devkit/slack-emulator/index.js';
import { checkBlockKit } from '../slack/blocks/limits.js';
import { SANDBOX_ADMINS, SANDBOX_CHANNELS, SANDBOX_USERS } from './workspace.js';

/** What the page keeps per user besides the emulator: field errors of modals and Slack's own notices. */
export interface LocalState {
  /** response_action errors by view id, then block_id. */
  viewErrors: Map<string, Record<string, string>>;
  /** Lines Slack itself shows a user ("/purchases failed with the error …"), by user. */
  notices: Map<string, Notice[]>;
}

export interface Notice {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  /** 'app': the message body of the bot's acknowledgement; 'slack': Slack's own words. */
  from: 'app' | 'slack';
}

interface PageFile {
  id: string;
  name: string;
  title: string;
  size: number;
  url: string;
  mimetype: string;
  /** What an image shows (the uploader's alt text). */
  altText?: string;
}

interface PageMessage {
  ts: string;
  text: string;
  blocks?: unknown[];
  files?: PageFile[];
  edited: boolean;
  /** Only the viewing user sees it. */
  ephemeral: boolean;
  /** Said by Slack itself rather than the bot. */
  fromSlack?: boolean;
}

interface PageCall {
  time: string;
  method: string;
  status: number;
  ok: boolean;
  error?: string;
  summary: string;
  detail: string;
}

export interface Rejection {
  time: string;
  method: string;
  where: string;
  error: string;
  messages: string[];
}

/** Calls the page lists, newest last. */
const CALLS_SHOWN = 80;
/** Slack's answers that mean "this payload breaks the Block Kit rules". */
const REJECTION_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_arguments']);
const DETAIL_LIMIT = 20_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function fileUrl(id: string): string {
  return `/api/files/${encodeURIComponent(id)}`;
}

function pageFile(file: EmulatedFile): PageFile {
  return {
    id: file.id,
    name: file.name,
    title: file.title,
    size: file.content?.length ?? file.length,
    url: fileUrl(file.id),
    mimetype: file.mimetype,
    ...(file.alt_text ? { altText: file.alt_text } : {}),
  };
}

function channelLabel(emulator: SlackEmulator, channel: string | undefined): string {
  if (!channel) return '';
  const named = SANDBOX_CHANNELS.find((c) => c.id === channel);
  if (named) return `#${named.name}`;
  const user = emulator.user(channel) ?? SANDBOX_USERS.find((u) => emulator.dmChannel(u.id) === channel);
  return user ? `DM with ${user.real_name}` : channel;
}

function describeCall(emulator: SlackEmulator, call: RecordedCall): string {
  const a = call.args;
  const parts = [channelLabel(emulator, str(a.channel) ?? str(a.channel_id))];
  const user = str(a.user) ?? str(a.user_id);
  if (user) parts.push(emulator.user(user)?.real_name ?? user);
  if (str(a.email)) parts.push(String(a.email));
  if (str(a.filename)) parts.push(String(a.filename));
  if (isRecord(a.view) && a.view.title && isRecord(a.view.title)) parts.push(`“${String(a.view.title.text)}”`);
  if (str(a.text)) parts.push(`“${String(a.text).slice(0, 80)}”`);
  return parts.filter(Boolean).join(' · ');
}

function errorOf(response: unknown): string | undefined {
  if (isRecord(response) && response.ok === false) return str(response.error) ?? 'error';
  return undefined;
}

function detail(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}\n…` : text;
}

function pageCall(emulator: SlackEmulator, call: RecordedCall): PageCall {
  const error = errorOf(call.response);
  return {
    time: call.time.toISOString(),
    method: call.method,
    status: call.status,
    ok: call.status === 200 && error === undefined,
    ...(error ? { error } : {}),
    summary: describeCall(emulator, call),
    detail: detail({ args: call.args, response: call.response }),
  };
}

function pageResponsePost(emulator: SlackEmulator, post: ResponseUrlPost): PageCall {
  const text = str(post.body.text);
  const what = post.body.delete_original ? 'delete original' : post.body.replace_original ? 'replace original' : (str(post.body.response_type) ?? 'ephemeral');
  return {
    time: post.time.toISOString(),
    method: 'response_url',
    status: post.status,
    ok: post.status === 200,
    ...(post.status === 200 ? {} : { error: `HTTP ${post.status}` }),
    summary: [channelLabel(emulator, post.channel), what, text ? `“${text.slice(0, 80)}”` : ''].filter(Boolean).join(' · '),
    detail: detail(post.body),
  };
}

function rejectionMessages(response: Record<string, unknown>): string[] {
  const metadata = isRecord(response.response_metadata) ? response.response_metadata : {};
  const messages = Array.isArray(metadata.messages) ? metadata.messages : Array.isArray(response.errors) ? response.errors : [];
  return messages.map(String);
}

/** Web API calls and response_url posts the emulator refused for their Block Kit. */
export function rejections(emulator: SlackEmulator): Rejection[] {
  const fromCalls = emulator.calls.flatMap((call): Rejection[] => {
    const error = errorOf(call.response);
    if (!error || !REJECTION_ERRORS.has(error) || !isRecord(call.response)) return [];
    const a = call.args;
    const where =
      channelLabel(emulator, str(a.channel) ?? str(a.channel_id)) ||
      (str(a.user_id) ? `Home of ${emulator.user(String(a.user_id))?.real_name ?? a.user_id}` : 'a modal');
    return [{ time: call.time.toISOString(), method: call.method, where, error, messages: rejectionMessages(call.response) }];
  });
  const fromResponses = emulator.responseUrlPosts.flatMap((post): Rejection[] => {
    if (post.status !== 400) return [];
    const violations = checkBlockKit('message', { blocks: post.body.blocks, text: post.body.text });
    return [
      {
        time: post.time.toISOString(),
        method: 'response_url',
        where: channelLabel(emulator, post.channel),
        error: violations.some((v) => v.path === 'text') ? 'msg_too_long' : 'invalid_blocks',
        messages: violations.map((v) => `${v.message} [${v.path}]`),
      },
    ];
  });
  return [...fromCalls, ...fromResponses].sort((a, b) => a.time.localeCompare(b.time));
}

function pageView(view: EmulatedView | undefined, errors?: Record<string, string>) {
  if (!view) return null;
  const { id, type, hash, title, submit, close, blocks, callback_id } = view;
  return { id, type, hash, title, submit, close, blocks, callback_id, errors: errors ?? {} };
}

function conversationMessages(emulator: SlackEmulator, local: LocalState, user: string, channel: string): PageMessage[] {
  const files = new Map(emulator.files().map((f) => [f.id, f]));
  const posted: PageMessage[] = emulator.messages(channel).map((m) => ({
    ts: m.ts,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.files
      ? {
          files: m.files.map((ref) => {
            const file = files.get(ref.id);
            return file ? pageFile(file) : { ...ref, size: 0, url: fileUrl(ref.id), mimetype: 'application/octet-stream' };
          }),
        }
      : {}),
    edited: m.edited !== undefined,
    ephemeral: false,
  }));
  const ephemeral: PageMessage[] = emulator
    .ephemeralMessages(user)
    .filter((m) => m.channel === channel)
    .map((m) => ({ ts: m.message_ts, text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}), edited: false, ephemeral: true }));
  const notices: PageMessage[] = (local.notices.get(user) ?? [])
    .filter((n) => n.channel === channel)
    .map((n) => ({
      ts: n.ts,
      text: n.text,
      ...(n.blocks ? { blocks: n.blocks } : {}),
      edited: false,
      ephemeral: true,
      ...(n.from === 'slack' ? { fromSlack: true } : {}),
    }));
  return [...posted, ...ephemeral, ...notices].sort((a, b) => Number(a.ts) - Number(b.ts));
}

export function sandboxState(emulator: SlackEmulator, local: LocalState, user: string, version: number) {
  const dm = emulator.dmChannel(user);
  const conversations = [
    ...SANDBOX_CHANNELS.map((c) => ({ id: c.id, name: c.name, kind: 'channel' as const })),
    { id: dm, name: emulator.user(emulator.botUserId)?.real_name ?? 'App', kind: 'app' as const },
  ].map((c) => ({ ...c, messages: conversationMessages(emulator, local, user, c.id) }));
  const views = emulator.openViews(user);
  const modal = views.at(-1);
  const calls = [...emulator.calls.map((c) => pageCall(emulator, c)), ...emulator.responseUrlPosts.map((p) => pageResponsePost(emulator, p))]
    .sort((a, b) => a.time.localeCompare(b.time))
    .slice(-CALLS_SHOWN);
  return {
    version,
    me: user,
    bot: { id: emulator.botUserId, name: emulator.user(emulator.botUserId)?.real_name ?? 'App' },
    /** Everyone in the directory, for <@U…> mentions. */
    names: Object.fromEntries(emulator.users().map((u) => [u.id, u.real_name])),
    users: SANDBOX_USERS.map(({ id, name, real_name, role }) => ({ id, name, real_name, role, admin: SANDBOX_ADMINS.includes(id) })),
    conversations,
    modal: pageView(modal, modal ? local.viewErrors.get(modal.id) : undefined),
    modalDepth: views.length,
    home: pageView(emulator.homeView(user)),
    files: emulator
      .files()
      .filter((f) => f.content !== undefined)
      .map(pageFile),
    calls,
    rejections: rejections(emulator),
  };
}
