/**
 * Requests to the bot's HTTP receiver exactly as Slack sends them: signed v0 (HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>`), slash commands form-encoded, interactions as `payload=<json>`,
 * events as a JSON `event_callback` envelope. Trigger ids and response_urls come from the Slack
 * emulator so that views.open and respond() land there. Payload builders fill what Slack fills,
 * and find the clicked element in the rendered blocks so a test (or the sandbox page) cannot click
 * what is not there. The end-to-end tests and the local sandbox both send through these.
 */
import { createHmac } from 'node:crypto';
import type { SlackEmulator } from './server.js';
import type { EmulatedView } from './types.js';

export interface SlackRequestTarget {
  /** The receiver's endpoint, e.g. http://127.0.0.1:PORT/slack/events. */
  url: string;
  signingSecret: string;
  emulator: SlackEmulator;
}

/** Override the signing to test stale or forged requests. */
export interface SigningOverrides {
  /** Unix seconds; defaults to now. */
  timestamp?: number | string;
  /** Sent instead of the correct signature. */
  signature?: string;
}

export interface SlackHttpResult {
  status: number;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface SignedHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/** The legacy verification token Slack still puts in bodies; Bolt ignores it. */
const VERIFICATION_TOKEN = 'emulator-verification-token';

type Json = Record<string, unknown>;

export function signSlackRequest(signingSecret: string, body: string, timestamp: number | string): SignedHeaders {
  const hash = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': `v0=${hash}` };
}

/** POSTs `body` signed as Slack signs it (hostile-input tests send bodies no builder makes). */
export async function postSigned(target: SlackRequestTarget, body: string, contentType: string, overrides: SigningOverrides = {}): Promise<SlackHttpResult> {
  const timestamp = overrides.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = signSlackRequest(target.signingSecret, body, timestamp);
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signed,
      ...(overrides.signature !== undefined ? { 'X-Slack-Signature': overrides.signature } : {}),
    },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json };
}

export interface SlashCommandInput {
  command: string;
  /** What the user typed after the command; sent as Slack sends it, with `&`, `<` and `>` escaped. */
  text: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
  trigger_id?: string;
}

export async function sendSlashCommand(
  target: SlackRequestTarget,
  input: SlashCommandInput,
  overrides?: SigningOverrides,
): Promise<SlackHttpResult & { responseUrl: string; triggerId: string }> {
  const { emulator } = target;
  const responseUrl = emulator.responseUrl(input.channel_id, input.user_id);
  const triggerId = input.trigger_id ?? emulator.triggerId(input.user_id);
  const body = new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: input.team_id ?? emulator.teamId,
    team_domain: emulator.teamDomain,
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? (input.channel_id.startsWith('D') ? 'directmessage' : 'general'),
    user_id: input.user_id,
    user_name: input.user_name ?? emulator.user(input.user_id)?.name ?? input.user_id.toLowerCase(),
    command: input.command,
    text: input.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    api_app_id: emulator.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
  const result = await postSigned(target, body, 'application/x-www-form-urlencoded', overrides);
  return { ...result, responseUrl, triggerId };
}

/** Sends an interaction payload (block_actions, view_submission, ...) as `payload=<json>`. */
export function sendInteraction(target: SlackRequestTarget, payload: Json, overrides?: SigningOverrides): Promise<SlackHttpResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(target, body, 'application/x-www-form-urlencoded', overrides);
}

/**
 * The `message` event (subtype file_share) Slack sends when a user shares a file in the app's DM:
 * the file as a stub (id, name, mimetype), as events may carry it; the bot reads the rest with files.info.
 */
export function fileShareEvent(upload: {
  file: { id: string; name: string; mimetype: string; user?: string; channel?: string };
  message: { ts: string; text: string };
}): Json {
  return {
    type: 'message',
    subtype: 'file_share',
    text: upload.message.text,
    user: upload.file.user ?? '',
    channel: upload.file.channel ?? '',
    channel_type: 'im',
    ts: upload.message.ts,
    upload: true,
    display_as_bot: false,
    files: [{ id: upload.file.id, name: upload.file.name, mimetype: upload.file.mimetype, filetype: upload.file.name.split('.').pop() ?? 'binary' }],
  };
}

let eventCounter = 0;

/** Sends an Events API event (e.g. `{ type: 'app_home_opened', user, tab: 'home' }`) in its envelope. */
export function sendEvent(target: SlackRequestTarget, event: Json, overrides?: SigningOverrides): Promise<SlackHttpResult> {
  const { emulator } = target;
  const now = Math.floor(Date.now() / 1000);
  eventCounter += 1;
  const envelope = {
    token: VERIFICATION_TOKEN,
    team_id: emulator.teamId,
    api_app_id: emulator.appId,
    event: { event_ts: `${now}.${String(eventCounter).padStart(6, '0')}`, ...event },
    type: 'event_callback',
    event_id: `Ev${String(eventCounter).padStart(10, '0')}`,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: emulator.teamId, user_id: emulator.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-emulated-${eventCounter}`,
  };
  return postSigned(target, JSON.stringify(envelope), 'application/json', overrides);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface FoundElement {
  blockId: string;
  element: Json;
}

/** Every interactive element in blocks, with the block_id it sits in. */
function elementsIn(blocks: unknown): FoundElement[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.filter(isRecord).flatMap((block) => {
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const candidates = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    return candidates
      .filter(isRecord)
      .filter((e) => typeof e.action_id === 'string')
      .map((element) => ({ blockId, element }));
  });
}

function findElement(blocks: unknown, actionId: string, blockId: string | undefined, where: string): FoundElement {
  const found = elementsIn(blocks).find((e) => e.element.action_id === actionId && (blockId === undefined || e.blockId === blockId));
  if (!found) throw new Error(`No element with action_id "${actionId}"${blockId ? ` in block "${blockId}"` : ''} in ${where}`);
  return found;
}

function userOf(emulator: SlackEmulator, userId: string, userName?: string): Json {
  const name = userName ?? emulator.user(userId)?.name ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: emulator.teamId };
}

function publicView(view: EmulatedView, values: Json = {}): Json {
  const { user_id: _user, ...rest } = view;
  return { ...rest, state: { values } };
}

export interface ClickedAction {
  action_id: string;
  block_id?: string;
  /** For buttons; defaults to the value rendered on the element. */
  value?: string;
  /** For selects, radio buttons and overflow menus: the value of the chosen option. */
  selected_option_value?: string;
}

export type BlockActionsInput = {
  user_id: string;
  user_name?: string;
  action: ClickedAction;
} & ({ message: { channel: string; ts: string; ephemeral?: boolean } } | { view: EmulatedView; values?: Record<string, Record<string, unknown>> });

function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.filter(isRecord).flatMap((g) => (Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter(isRecord);
}

function actionPayload(found: FoundElement, action: ClickedAction, actionTs: string): Json {
  const { element, blockId } = found;
  const payload: Json = { type: element.type, action_id: action.action_id, block_id: action.block_id ?? blockId, action_ts: actionTs };
  if (element.type === 'button') {
    payload.text = element.text;
    const value = action.value ?? element.value;
    if (value !== undefined) payload.value = value;
    if (element.style !== undefined) payload.style = element.style;
  } else if (action.selected_option_value !== undefined) {
    const option = optionsOf(element).find((o) => o.value === action.selected_option_value);
    if (!option) throw new Error(`No option with value "${action.selected_option_value}" in "${action.action_id}"`);
    payload.selected_option = option;
  }
  return payload;
}

/** A block_actions payload for clicking an element rendered in a message or a view (modal or Home tab). */
export function buildBlockActionsPayload(emulator: SlackEmulator, input: BlockActionsInput): Json {
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const base = {
    type: 'block_actions',
    user: userOf(emulator, input.user_id, input.user_name),
    api_app_id: emulator.appId,
    token: VERIFICATION_TOKEN,
    team: { id: emulator.teamId, domain: emulator.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
  if ('view' in input) {
    const { view } = input;
    const found = findElement(view.blocks, input.action.action_id, input.action.block_id, `view ${view.id}`);
    return {
      ...base,
      container: { type: 'view', view_id: view.id },
      trigger_id: emulator.triggerId(input.user_id, view.type === 'modal' ? { viewId: view.id } : undefined),
      view: publicView(view, input.values ?? {}),
      actions: [actionPayload(found, input.action, actionTs)],
      state: { values: input.values ?? {} },
    };
  }
  const { channel, ts, ephemeral = false } = input.message;
  const message = ephemeral
    ? emulator.ephemeralMessages(input.user_id).find((m) => m.message_ts === ts && m.channel === channel)
    : emulator.message(channel, ts);
  if (!message) throw new Error(`No ${ephemeral ? 'ephemeral ' : ''}message ${ts} in ${channel}`);
  const found = findElement(message.blocks, input.action.action_id, input.action.block_id, `message ${ts}`);
  return {
    ...base,
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: ephemeral },
    trigger_id: emulator.triggerId(input.user_id),
    channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'general' },
    // Slack leaves the message out of payloads from ephemeral messages.
    ...(ephemeral ? {} : { message: { ...message, type: 'message' } }),
    state: { values: {} },
    response_url: emulator.responseUrl(channel, input.user_id, { ts, ephemeral }),
    actions: [actionPayload(found, input.action, actionTs)],
  };
}

/** Convenience values for inputs: a string (or strings, for checkboxes and multi-selects). */
export type InputValue = string | string[] | Json;

/** The `state.values` Slack sends for the view's input blocks, from simple values. */
export function viewStateValues(view: EmulatedView, values: Record<string, Record<string, InputValue>>): Record<string, Record<string, Json>> {
  const state: Record<string, Record<string, Json>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const { element } = findElement(view.blocks, actionId, blockId, `view ${view.id}`);
      state[blockId] = { ...state[blockId], [actionId]: stateEntry(element, value) };
    }
  }
  return state;
}

/** What Slack sends for an input left empty: null value or option, or no options. */
function emptyEntry(type: string): Json {
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { selected_option: null };
    case 'multi_static_select':
    case 'checkboxes':
      return { selected_options: [] };
    case 'users_select':
      return { selected_user: null };
    case 'multi_users_select':
      return { selected_users: [] };
    case 'datepicker':
      return { selected_date: null };
    default:
      return { value: null };
  }
}

/**
 * Values for every input block of the view, as a form submits them: the `filled` ones, and the
 * empty entry Slack sends for each input left empty (empty strings and lists count as empty).
 */
export function formValues(view: EmulatedView, filled: Record<string, Record<string, string | string[]>>): Record<string, Record<string, InputValue>> {
  const values: Record<string, Record<string, InputValue>> = {};
  for (const block of view.blocks.filter(isRecord)) {
    const element = block.element;
    if (block.type !== 'input' || typeof block.block_id !== 'string' || !isRecord(element) || typeof element.action_id !== 'string') continue;
    const value = filled[block.block_id]?.[element.action_id];
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    values[block.block_id] = { [element.action_id]: empty ? emptyEntry(String(element.type)) : value };
  }
  return values;
}

function stateEntry(element: Json, value: InputValue): Json {
  const type = String(element.type);
  if (isRecord(value)) return { type, ...value };
  const chosen = (v: string): Json => {
    const option = optionsOf(element).find((o) => o.value === v);
    if (!option) throw new Error(`No option with value "${v}" in "${String(element.action_id)}"`);
    return option;
  };
  const list = Array.isArray(value) ? value : [value];
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: chosen(String(value)) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: list.map(chosen) };
    case 'users_select':
      return { type, selected_user: value };
    case 'multi_users_select':
      return { type, selected_users: list };
    case 'conversations_select':
      return { type, selected_conversation: value };
    case 'channels_select':
      return { type, selected_channel: value };
    case 'datepicker':
      return { type, selected_date: value };
    case 'timepicker':
      return { type, selected_time: value };
    default:
      return { type, value };
  }
}

export interface ViewSubmissionInput {
  user_id: string;
  user_name?: string;
  /** The modal as the emulator holds it (e.g. `emulator.openViews(user)[0]`). */
  view: EmulatedView;
  /** Input values by block_id then action_id; see viewStateValues. */
  values?: Record<string, Record<string, InputValue>>;
}

export function buildViewSubmissionPayload(emulator: SlackEmulator, input: ViewSubmissionInput): Json {
  const values = viewStateValues(input.view, input.values ?? {});
  return {
    type: 'view_submission',
    team: { id: emulator.teamId, domain: emulator.teamDomain },
    user: userOf(emulator, input.user_id, input.user_name),
    api_app_id: emulator.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: emulator.triggerId(input.user_id, { viewId: input.view.id }),
    view: publicView(input.view, values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
