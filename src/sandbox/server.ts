/**
 * The sandbox page's server: the page itself (static files), the state it renders, and what a
 * user does on it turned into what Slack would send the bot: signed slash commands with a
 * trigger_id and response_url, block_actions, view_submission, view_closed and app_home_opened.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { PURCHASES_COMMAND } from '../slack/commands.js';
import { readBody } from '../devkit/slack-emulator/body.js';
import { answerHealth, isHealthRequest, type HealthReport } from '../health.js';
import {
  buildBlockActionsPayload,
  buildViewSubmissionPayload,
  formValues,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  viewStateValues,
  type SlackEmulator,
  type SlackRequestTarget,
} from '../devkit/slack-emulator/index.js';
import { sandboxState, type LocalState, type Notice } from './state.js';
import { SANDBOX_USERS } from './workspace.js';

const PUBLIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/blocks.js': 'blocks.js',
  '/style.css': 'style.css',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const PUBLIC_DIR = new URL('./public/', import.meta.url);

const userId = z.enum(SANDBOX_USERS.map((u) => u.id) as [string, ...string[]]);
/** Form values as the page collects them: text, one option value, or several. */
const filledValues = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())])));

/** Slack keeps at most this much of a message; the composer takes no more. */
const MESSAGE_MAX = 40_000;
const commandRequest = z.object({ user: userId, channel: z.string().regex(/^[CGD][A-Z0-9]+$/), text: z.string() });
const actionRequest = z.object({
  user: userId,
  container: z.discriminatedUnion('type', [
    z.object({ type: z.literal('message'), channel: z.string(), ts: z.string(), ephemeral: z.boolean() }),
    z.object({ type: z.literal('view'), viewId: z.string() }),
  ]),
  action: z.object({
    action_id: z.string(),
    block_id: z.string().optional(),
    value: z.string().optional(),
    selected_option_value: z.string().optional(),
  }),
  values: filledValues.optional(),
});
const submitRequest = z.object({ user: userId, viewId: z.string(), values: filledValues });
const closeRequest = z.object({ user: userId, viewId: z.string() });
const tabRequest = z.object({ user: userId, tab: z.enum(['home', 'messages']) });

/** Refused requests from the page: answered 400 with the reason. */
class PageError extends Error {}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const raw = (await readBody(req)).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw || '{}');
  } catch {
    throw new PageError('The body is not JSON.');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    // Said in words: which fields, not the validator's own wording.
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || 'the body'))];
    const unknownUser = fields.includes('user') ? ' (the user is not one of the sandbox’s demo users)' : '';
    throw new PageError(`The sandbox could not use ${fields.map((f) => `"${f}"`).join(', ')} of that request${unknownUser}. Reload the page and try again.`);
  }
  return result.data;
}

export interface PageServerDeps {
  emulator: SlackEmulator;
  /** Where the bot listens, with its signing secret. */
  target: SlackRequestTarget;
  /** The bot's health check, shown at /healthz as the bot answers it. */
  health: () => Promise<HealthReport>;
}

export interface PageServer {
  server: Server;
  close(): Promise<void>;
}

export function createPageServer({ emulator, target, health }: PageServerDeps): PageServer {
  const local: LocalState = { viewErrors: new Map(), notices: new Map() };
  const streams = new Set<ServerResponse>();
  let version = 0;

  /** Tells open pages to fetch the state again. */
  const changed = (): void => {
    version += 1;
    for (const stream of streams) stream.write(`data: ${version}\n\n`);
  };
  const unsubscribe = emulator.onActivity(changed);

  /** An ephemeral line only the page knows: Slack's own (a command failed) or the body of the app's acknowledgement. */
  const notify = (user: string, channel: string, text: string, from: Notice['from'] = 'slack', blocks?: unknown[]): void => {
    const notices = local.notices.get(user) ?? [];
    notices.push({ ts: (Date.now() / 1000).toFixed(6), channel, text, from, ...(blocks ? { blocks } : {}) });
    local.notices.set(user, notices);
  };

  const ownView = (user: string, viewId: string) => {
    const view = emulator.view(viewId) ?? [emulator.homeView(user)].find((v) => v?.id === viewId);
    if (!view || view.user_id !== user) throw new PageError(`No view ${viewId} is open for ${user}.`);
    return view;
  };

  const command = async (input: z.infer<typeof commandRequest>) => {
    if (input.text.length > MESSAGE_MAX) {
      notify(
        input.user,
        input.channel,
        `Your message is ${input.text.length.toLocaleString('en-US')} characters long; Slack takes at most ${MESSAGE_MAX.toLocaleString('en-US')}.`,
      );
      return { ok: false };
    }
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(input.text.trim());
    if (!match) {
      notify(input.user, input.channel, `Only slash commands reach the app here: try \`${PURCHASES_COMMAND} help\`.`);
      return { ok: false };
    }
    const [, name = '', text = ''] = match;
    if (name !== PURCHASES_COMMAND) {
      notify(
        input.user,
        input.channel,
        `\`${name}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
      );
      return { ok: false };
    }
    const result = await sendSlashCommand(target, { command: name, text, user_id: input.user, channel_id: input.channel });
    if (result.status !== 200) {
      notify(input.user, input.channel, `\`${name}\` failed with the error "dispatch_failed" (HTTP ${result.status}).`);
      return { ok: false };
    }
    // An acknowledgement with a message body is shown to the user as an ephemeral message.
    const ack = result.json;
    if (ack && typeof ack === 'object' && 'text' in ack) {
      const { text: ackText, blocks } = ack as { text: unknown; blocks?: unknown };
      notify(input.user, input.channel, String(ackText), 'app', Array.isArray(blocks) ? blocks : undefined);
    }
    return { ok: true };
  };

  const action = async (input: z.infer<typeof actionRequest>) => {
    const { user, container } = input;
    const clicked = {
      action_id: input.action.action_id,
      ...(input.action.block_id ? { block_id: input.action.block_id } : {}),
      ...(input.action.value !== undefined ? { value: input.action.value } : {}),
      ...(input.action.selected_option_value !== undefined ? { selected_option_value: input.action.selected_option_value } : {}),
    };
    let payload: Record<string, unknown>;
    try {
      if (container.type === 'view') {
        const view = ownView(user, container.viewId);
        const values = viewStateValues(view, formValues(view, input.values ?? {}));
        payload = buildBlockActionsPayload(emulator, { user_id: user, action: clicked, view, values });
      } else {
        const { channel, ts, ephemeral } = container;
        payload = buildBlockActionsPayload(emulator, { user_id: user, action: clicked, message: { channel, ts, ephemeral } });
      }
    } catch (error) {
      throw new PageError((error as Error).message);
    }
    const result = await sendInteraction(target, payload);
    if (result.status !== 200) {
      const text = `The app did not answer that click (HTTP ${result.status}).`;
      if (container.type === 'message') notify(user, container.channel, text);
      else local.viewErrors.set(container.viewId, { ...local.viewErrors.get(container.viewId), '': text });
    }
    return { ok: result.status === 200 };
  };

  const submit = async (input: z.infer<typeof submitRequest>) => {
    const view = ownView(input.user, input.viewId);
    if (view.type !== 'modal' || !emulator.openViews(input.user).some((v) => v.id === view.id)) throw new PageError('That modal is closed.');
    const values = formValues(view, input.values);
    const result = await sendInteraction(target, buildViewSubmissionPayload(emulator, { user_id: input.user, view, values }));
    local.viewErrors.delete(view.id);
    const answer = (result.json ?? {}) as { response_action?: string; errors?: Record<string, string> };
    if (result.status !== 200) {
      local.viewErrors.set(view.id, { '': `We had some trouble connecting (HTTP ${result.status}). Try again?` });
    } else if (answer.response_action === 'errors') {
      local.viewErrors.set(view.id, answer.errors ?? {});
    } else if (answer.response_action === 'clear') {
      for (const open of emulator.openViews(input.user)) emulator.closeView(open.id);
    } else if (answer.response_action === undefined) {
      emulator.closeView(view.id);
    } else {
      local.viewErrors.set(view.id, { '': `The sandbox does not emulate response_action "${answer.response_action}".` });
    }
    return { ok: result.status === 200, errors: local.viewErrors.get(view.id) ?? {} };
  };

  const close = async (input: z.infer<typeof closeRequest>) => {
    const view = ownView(input.user, input.viewId);
    emulator.closeView(view.id);
    local.viewErrors.delete(view.id);
    if (view.notify_on_close) {
      const { user_id: _user, ...publicView } = view;
      await sendInteraction(target, {
        type: 'view_closed',
        team: { id: emulator.teamId, domain: emulator.teamDomain },
        user: { id: input.user, name: emulator.user(input.user)?.name ?? input.user, team_id: emulator.teamId },
        api_app_id: emulator.appId,
        view: publicView,
        is_cleared: false,
      });
    }
    return { ok: true };
  };

  const openTab = async (input: z.infer<typeof tabRequest>) => {
    const result = await sendEvent(target, { type: 'app_home_opened', user: input.user, channel: emulator.dmChannel(input.user), tab: input.tab });
    return { ok: result.status === 200 };
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\ndata: ${version}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const download = (res: ServerResponse, id: string): void => {
    const file = emulator.file(id);
    if (!file?.content) return sendJson(res, 404, { error: 'No such file.' });
    res.writeHead(200, {
      'content-type': file.mimetype,
      'content-length': file.content.length,
      // A picture shows in the page (as Slack shows an uploaded image); anything else downloads.
      'content-disposition': `${file.mimetype.startsWith('image/') ? 'inline' : 'attachment'}; filename="${file.name.replace(/[^\w.\- ]/g, '_')}"`,
    });
    res.end(file.content);
  };

  const staticFile = async (res: ServerResponse, name: string): Promise<void> => {
    const body = await readFile(new URL(name, PUBLIC_DIR));
    res.writeHead(200, { 'content-type': CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  };

  const post = async <T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>, handler: (input: T) => Promise<unknown>) => {
    const result = await handler(await jsonBody(req, schema));
    changed();
    sendJson(res, 200, result);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const file = PUBLIC_FILES[url.pathname];
    if (req.method === 'GET' && file) return staticFile(res, file);
    if (isHealthRequest(req, url.pathname)) return answerHealth(res, health);
    if (req.method === 'GET' && url.pathname === '/api/state') {
      const user = userId.safeParse(url.searchParams.get('user') || SANDBOX_USERS[0]?.id);
      if (!user.success) throw new PageError('Unknown user.');
      return sendJson(res, 200, sandboxState(emulator, local, user.data, version));
    }
    if (req.method === 'GET' && url.pathname === '/api/events') return events(req, res);
    const fileId = /^\/api\/files\/(\w+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && fileId) return download(res, fileId);
    if (req.method === 'POST') {
      switch (url.pathname) {
        case '/api/command':
          return post(req, res, commandRequest, command);
        case '/api/action':
          return post(req, res, actionRequest, action);
        case '/api/submit':
          return post(req, res, submitRequest, submit);
        case '/api/close':
          return post(req, res, closeRequest, close);
        case '/api/tab':
          return post(req, res, tabRequest, openTab);
      }
    }
    sendJson(res, 404, { error: 'Not found.' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof PageError) sendJson(res, 400, { error: error.message });
      else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  return {
    server,
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
