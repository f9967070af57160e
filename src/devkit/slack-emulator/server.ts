/**
 * An in-process Slack: a node:http server answering the Web API methods the bot uses (point
 * WebClient / Bolt `clientOptions.slackApiUrl` at `emulator.url`), the file upload URLs it hands
 * out, and the response_url endpoints of interactions. It records every call, can be told to fail
 * the next call to a method, and keeps the workspace state tests and the local sandbox read back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, readBody } from './body.js';
import type {
  EmulatedEphemeralMessage,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
  EmulatedUserGroup,
  EmulatedView,
  EmulatorActivity,
  EmulatorFailure,
  RecordedCall,
  ResponseUrlPost,
  SlackEmulatorOptions,
} from './types.js';
import { messageContent, mimetypeOf, slackError, webApiHandler, type SlackArgs, type SlackReply } from './web-api.js';
import { Workspace, type ResponseUrlTarget } from './workspace.js';

export interface SlackEmulator {
  /** Base URL of the Web API, for `slackApiUrl`: `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** A bot token the emulator accepts. */
  readonly botToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** Every Web API call and upload, in arrival order (live). */
  readonly calls: readonly RecordedCall[];
  /** Every POST to a response_url, in arrival order (live). */
  readonly responseUrlPosts: readonly ResponseUrlPost[];
  callsTo(method: string): RecordedCall[];
  /**
   * The next `times` calls to `method` answer `failure` instead (or hang, never answering).
   * `method` is a Web API method, `upload` (the file upload URL) or `response_url`.
   */
  failNext(method: string, failure: EmulatorFailure, times?: number): void;
  /** A one-use trigger_id for `user`, as an interaction payload carries; `viewId` when it comes from a view. */
  triggerId(user: string, options?: { viewId?: string }): string;
  /**
   * A response_url for an interaction by `user` in `channel`. `original` is the message the
   * interaction came from, which replace_original / delete_original act on.
   */
  responseUrl(channel: string, user: string, original?: { ts: string; ephemeral?: boolean }): string;
  addUser(user: EmulatedUser): void;
  addUserGroup(group: EmulatedUserGroup): void;
  user(id: string): EmulatedUser | undefined;
  users(): EmulatedUser[];
  userGroups(): EmulatedUserGroup[];
  /** The id of the app's DM with a user (the channel conversations.open returns). */
  dmChannel(userId: string): string;
  /** Channel ids that have messages. */
  channels(): string[];
  /** Messages in a channel, oldest first. */
  messages(channel: string): EmulatedMessage[];
  message(channel: string, ts: string): EmulatedMessage | undefined;
  /** Ephemeral messages only `user` sees, oldest first. */
  ephemeralMessages(user: string): EmulatedEphemeralMessage[];
  /** Modals open now (for one user, or for everyone). */
  openViews(user?: string): EmulatedView[];
  /** A modal by id, open or closed. */
  view(id: string): EmulatedView | undefined;
  /** Closes a modal (Slack does this when the user closes or submits it). */
  closeView(id: string): void;
  /** The Home tab last published for a user. */
  homeView(user: string): EmulatedView | undefined;
  files(): EmulatedFile[];
  file(id: string): EmulatedFile | undefined;
  /**
   * `user` shares a file in `channel` (default: the app's DM with them), as the Slack client does
   * on drag and drop; the bot learns of it from a `message` event (`fileShareEvent`).
   */
  uploadAsUser(
    user: string,
    file: { name: string; content: string | Buffer; channel?: string; text?: string },
  ): { file: EmulatedFile; message: EmulatedMessage };
  /** Called after every recorded call and response_url post; returns an unsubscribe function. */
  onActivity(listener: (activity: EmulatorActivity) => void): () => void;
  /** Forgets calls, pending failures, messages, views and files; keeps the directory. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULTS = {
  tokens: ['xoxb-emulator-token'],
  teamId: 'T0EMULATED',
  teamDomain: 'emulated',
  botUserId: 'U0BOTUSER1',
  botId: 'B0BOTUSER1',
  appId: 'A0PURCHASES',
} as const;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const tokens = options.tokens && options.tokens.length > 0 ? options.tokens : [...DEFAULTS.tokens];
  const ws = new Workspace({
    teamId: options.teamId ?? DEFAULTS.teamId,
    teamDomain: options.teamDomain ?? DEFAULTS.teamDomain,
    botUserId: options.botUserId ?? DEFAULTS.botUserId,
    botId: options.botId ?? DEFAULTS.botId,
    appId: options.appId ?? DEFAULTS.appId,
  });
  ws.addUser({ id: ws.identity.botUserId, name: 'purchase_governance', real_name: 'Purchase Governance', is_bot: true });
  for (const user of options.users ?? []) ws.addUser(user);
  for (const group of options.userGroups ?? []) ws.addUserGroup(group);

  const calls: RecordedCall[] = [];
  const responseUrlPosts: ResponseUrlPost[] = [];
  const failures = new Map<string, EmulatorFailure[]>();
  /** Calls told to hang, still open. */
  const hanging = new Set<ServerResponse>();
  const releaseHanging = (): void => {
    for (const res of hanging) res.destroy();
    hanging.clear();
  };
  const listeners = new Set<(activity: EmulatorActivity) => void>();
  let origin = '';

  const emit = (activity: EmulatorActivity): void => {
    for (const listener of listeners) listener(activity);
  };

  const record = (method: string, args: SlackArgs, status: number, response: unknown): void => {
    const call: RecordedCall = { method, args, time: new Date(), status, response };
    calls.push(call);
    emit({ kind: 'call', call });
  };

  const takeFailure = (method: string): EmulatorFailure | undefined => {
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    return failure;
  };

  /** Answers an injected failure; returns what was recorded as the response. */
  const answerFailure = (res: ServerResponse, failure: EmulatorFailure): { status: number; response: unknown } => {
    if ('hang' in failure) {
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return { status: 0, response: 'no answer' };
    }
    if ('ok' in failure) {
      sendJson(res, 200, failure);
      return { status: 200, response: failure };
    }
    if (failure.status === 429) {
      const response = { ok: false, error: 'ratelimited' };
      sendJson(res, 429, response, { 'retry-after': String(failure.retryAfter) });
      return { status: 429, response };
    }
    const text = failure.body ?? 'Internal Server Error';
    res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
    return { status: failure.status, response: text };
  };

  const handleApi = async (method: string, req: IncomingMessage, url: URL, raw: Buffer, res: ServerResponse): Promise<void> => {
    const { fields } = await parseBody(raw, req.headers['content-type']);
    const args: SlackArgs = { ...Object.fromEntries(url.searchParams), ...fields };
    const bodyToken = typeof args.token === 'string' ? args.token : undefined;
    delete args.token;
    const failure = takeFailure(method);
    if (failure) {
      const { status, response } = answerFailure(res, failure);
      record(method, args, status, response);
      return;
    }
    const token = bearerToken(req.headers.authorization) ?? bodyToken;
    const handler = webApiHandler(method);
    let reply: SlackReply;
    if (!handler) reply = slackError('unknown_method');
    else if (!token) reply = slackError('not_authed');
    else if (!tokens.includes(token)) reply = slackError('invalid_auth');
    else reply = handler({ ws, args, origin });
    sendJson(res, 200, reply);
    record(method, args, 200, reply);
  };

  const handleUpload = async (fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> => {
    const file = ws.files.get(fileId);
    const args: SlackArgs = { file_id: fileId };
    const failure = takeFailure('upload');
    if (failure) {
      const { status, response } = answerFailure(res, failure);
      record('upload', args, status, response);
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      record('upload', args, 404, 'Not Found');
      return;
    }
    // @slack/web-api sends multipart with one file part; other clients may send the bytes raw.
    const { files } = await parseBody(raw, req.headers['content-type']);
    const content = files.values().next().value ?? raw;
    file.content = content;
    const text = `OK - ${content.length}`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    record('upload', { ...args, bytes: content.length, content_type: req.headers['content-type'] ?? '' }, 200, text);
  };

  /** A file's bytes, for the bot token only; without it Slack answers with its sign-in page, as here. */
  const handleDownload = async (fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const args: SlackArgs = { file_id: fileId };
    const failure = takeFailure('download');
    if (failure) {
      const { status, response } = answerFailure(res, failure);
      record('download', args, status, response);
      return;
    }
    const token = bearerToken(req.headers.authorization);
    const file = ws.files.get(fileId);
    if (!token || !tokens.includes(token) || !file?.content) {
      const page = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      record('download', args, 200, 'sign-in page');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) }).end(file.content);
    record('download', { ...args, bytes: file.content.length }, 200, 'file');
  };

  const applyResponse = (target: ResponseUrlTarget, body: SlackArgs): { status: number; reply: SlackReply } => {
    const deleting = truthy(body.delete_original);
    const content = messageContent(body, { requireContent: !deleting });
    if ('ok' in content) return { status: 400, reply: content };
    const { channel, user, original } = target;
    if (deleting) {
      if (original?.ephemeral) {
        const index = ws.ephemerals.findIndex((m) => m.message_ts === original.ts && m.user === user);
        if (index >= 0) ws.ephemerals.splice(index, 1);
      } else if (original) {
        ws.deleteMessage(channel, original.ts);
      }
      return { status: 200, reply: { ok: true } };
    }
    if (truthy(body.replace_original) && original) {
      const replaced = original.ephemeral ? ws.ephemerals.find((m) => m.message_ts === original.ts && m.user === user) : ws.findMessage(channel, original.ts);
      if (replaced) {
        replaced.text = content.text;
        if (content.blocks) replaced.blocks = content.blocks;
        else delete replaced.blocks;
        return { status: 200, reply: { ok: true } };
      }
    }
    if (body.response_type === 'in_channel') ws.postMessage(channel, content);
    else ws.postEphemeral(channel, user, content, 'response_url');
    return { status: 200, reply: { ok: true } };
  };

  const handleResponseUrl = async (id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> => {
    const target = ws.responseUrls.get(id);
    const url = `${origin}${req.url ?? ''}`;
    let { fields } = await parseBody(raw, req.headers['content-type']);
    if (typeof fields.payload === 'string') fields = JSON.parse(fields.payload) as SlackArgs;
    const post = (status: number): void => {
      const entry: ResponseUrlPost = { url, channel: target?.channel ?? '', user: target?.user ?? '', body: fields, time: new Date(), status };
      responseUrlPosts.push(entry);
      emit({ kind: 'response_url', post: entry });
    };
    const failure = takeFailure('response_url');
    if (failure) {
      post(answerFailure(res, failure).status);
      return;
    }
    if (!target) {
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      post(404);
      return;
    }
    const { status, reply } = applyResponse(target, fields);
    sendJson(res, status, reply);
    post(status);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (api?.[1]) return handleApi(api[1], req, url, raw, res);
    const upload = /^\/upload\/v1\/(\w+)$/.exec(url.pathname);
    if (upload?.[1] && req.method === 'POST') return handleUpload(upload[1], req, raw, res);
    const download = /^\/files-pri\/\w+-(\w+)\/[^/]+$/.exec(url.pathname);
    if (download?.[1] && req.method === 'GET') return handleDownload(download[1], req, res);
    const response = /^\/response\/\w+\/(\w+)$/.exec(url.pathname);
    if (response?.[1] && req.method === 'POST') return handleResponseUrl(response[1], req, raw, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'emulator_error', detail: String(error) });
      else res.end();
    });
  });
  // Idle keep-alive connections stay open until the client closes them: with a server-side
  // timeout, a client that reuses one just as the server closes it gets ECONNRESET (seen on a
  // busy machine when a bot restarted after a few seconds of database work).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.address}:${address.port}`;

  return {
    url: `${origin}/api/`,
    origin,
    botToken: tokens[0] ?? DEFAULTS.tokens[0],
    ...ws.identity,
    calls,
    responseUrlPosts,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    triggerId: (user, triggerOptions) => ws.issueTrigger(user, triggerOptions?.viewId),
    responseUrl: (channel, user, original) =>
      ws.issueResponseUrl(origin, {
        channel,
        user,
        ...(original ? { original: { ts: original.ts, ephemeral: original.ephemeral ?? false } } : {}),
      }),
    addUser: (user) => ws.addUser(user),
    addUserGroup: (group) => ws.addUserGroup(group),
    user: (id) => ws.users.get(id),
    users: () => [...ws.users.values()],
    userGroups: () => [...ws.userGroups.values()],
    dmChannel: (userId) => ws.dmChannelFor(userId),
    channels: () => [...ws.channels.keys()],
    messages: (channel) => [...(ws.channels.get(channel) ?? [])],
    message: (channel, ts) => ws.findMessage(channel, ts),
    ephemeralMessages: (user) => ws.ephemerals.filter((m) => m.user === user),
    openViews: (user) => [...ws.views.values()].filter((v) => v.open && (user === undefined || v.user_id === user)),
    view: (id) => ws.views.get(id),
    closeView(id) {
      const view = ws.views.get(id);
      if (view) view.open = false;
    },
    homeView: (user) => ws.homeViews.get(user),
    files: () => [...ws.files.values()],
    file: (id) => ws.files.get(id),
    uploadAsUser(user, file) {
      const content = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
      return ws.uploadAsUser(user, file.channel ?? ws.dmChannelFor(user), {
        name: file.name,
        content,
        mimetype: mimetypeOf(file.name),
        ...(file.text ? { text: file.text } : {}),
      });
    },
    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      calls.length = 0;
      responseUrlPosts.length = 0;
      failures.clear();
      releaseHanging();
      ws.reset();
    },
    async close() {
      listeners.clear();
      releaseHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
