import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';

const ana = { id: 'U0ANA00001', name: 'ana', real_name: 'Ana López', email: 'ana.lopez@contoso.com' };
const ben = { id: 'U0BEN00001', name: 'ben', real_name: 'Ben Ito', email: 'ben.ito@contoso.com' };
const channel = 'C0ADMINS01';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string) => ({
  type: 'modal' as const,
  callback_id: 'cancel',
  title: { type: 'plain_text' as const, text: title },
  close: { type: 'plain_text' as const, text: 'Close' },
  blocks: [section('Cancel Power BI Pro?')],
});

let emulator: SlackEmulator;
let client: webApi.WebClient;

function clientWith(options: webApi.WebClientOptions = {}, token = emulator.botToken): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: emulator.url,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startSlackEmulator({
    users: [ana, ben],
    userGroups: [{ id: 'S0ADMINS01', handle: 'm365-admins', users: [ana.id] }],
  });
  client = clientWith();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

describe('the Slack emulator', () => {
  it('answers auth.test with the bot identity', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: emulator.botUserId, bot_id: emulator.botId, team_id: emulator.teamId });
  });

  it('refuses a call without a valid bearer token as Slack does', async () => {
    const error = await rejection(clientWith({}, 'xoxb-wrong').auth.test());
    expect(error.data).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('answers unknown methods with unknown_method', async () => {
    const error = await rejection(client.apiCall('chat.meMessage', { channel, text: 'hi' }));
    expect(error.data).toMatchObject({ ok: false, error: 'unknown_method' });
  });

  it('posts a message, records the call with its parsed blocks, and updates it by ts', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'Power BI Pro', blocks: [section('*Power BI Pro*')] });
    expect(posted).toMatchObject({ ok: true, channel, message: { text: 'Power BI Pro', bot_id: emulator.botId } });
    const ts = posted.ts ?? '';
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);

    const [call] = emulator.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel, text: 'Power BI Pro', blocks: [section('*Power BI Pro*')] });
    expect(call?.time).toBeInstanceOf(Date);

    const updated = await client.chat.update({ channel, ts, text: 'Cancelled', blocks: [section('~Power BI Pro~ cancelled')] });
    expect(updated).toMatchObject({ ok: true, channel, ts, text: 'Cancelled' });
    expect(emulator.messages(channel)).toHaveLength(1);
    expect(emulator.message(channel, ts)).toMatchObject({
      text: 'Cancelled',
      blocks: [section('~Power BI Pro~ cancelled')],
      edited: { user: emulator.botUserId },
    });
  });

  it('answers message_not_found when updating a message that does not exist', async () => {
    const error = await rejection(client.chat.update({ channel, ts: '1700000000.000001', text: 'x' }));
    expect(error.data).toMatchObject({ error: 'message_not_found' });
  });

  it('keeps ephemeral messages per user', async () => {
    const result = await client.chat.postEphemeral({ channel, user: ana.id, text: 'Only you can see this' });
    expect(result).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d+$/) });
    expect(emulator.ephemeralMessages(ana.id)).toEqual([
      expect.objectContaining({ channel, text: 'Only you can see this', message_ts: result.message_ts, source: 'chat.postEphemeral' }),
    ]);
    expect(emulator.ephemeralMessages(ben.id)).toEqual([]);
    expect(emulator.messages(channel)).toEqual([]);
  });

  it('posts to a user id in the app DM, the same channel conversations.open returns', async () => {
    const opened = await client.conversations.open({ users: ana.id });
    const posted = await client.chat.postMessage({ channel: ana.id, text: 'Reminder' });
    expect(posted.channel).toBe(opened.channel?.id);
    expect(opened.channel?.id).toBe(emulator.dmChannel(ana.id));
    expect(emulator.messages(emulator.dmChannel(ana.id)).map((m) => m.text)).toEqual(['Reminder']);
  });

  it('opens a modal with a one-use trigger id and updates it, guarding the hash', async () => {
    const triggerId = emulator.triggerId(ana.id);
    const opened = await client.views.open({ trigger_id: triggerId, view: modal('Cancel subscription') });
    const view = opened.view;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'cancel', id: expect.stringMatching(/^V/), hash: expect.any(String) });
    expect(emulator.openViews(ana.id).map((v) => v.id)).toEqual([view?.id]);

    const reused = await rejection(client.views.open({ trigger_id: triggerId, view: modal('Again') }));
    expect(reused.data).toMatchObject({ error: 'exchanged_trigger_id' });

    const stale = await rejection(client.views.update({ view_id: view?.id ?? '', hash: 'stale', view: modal('Updated') }));
    expect(stale.data).toMatchObject({ error: 'hash_conflict' });
    const updated = await client.views.update({ view_id: view?.id ?? '', hash: view?.hash ?? '', view: modal('Updated') });
    expect(updated.view).toMatchObject({ id: view?.id, title: { text: 'Updated' } });
    expect(emulator.view(view?.id ?? '')?.hash).not.toBe(view?.hash);
  });

  it('pushes a modal on top of the one an interaction came from', async () => {
    const opened = await client.views.open({ trigger_id: emulator.triggerId(ana.id), view: modal('First') });
    const rootId = opened.view?.id ?? '';
    const pushed = await client.views.push({ trigger_id: emulator.triggerId(ana.id, { viewId: rootId }), view: modal('Second') });
    expect(pushed.view).toMatchObject({ root_view_id: rootId, previous_view_id: rootId });
    expect(emulator.openViews(ana.id)).toHaveLength(2);
  });

  it('refuses views.open with a trigger id it never issued', async () => {
    const error = await rejection(client.views.open({ trigger_id: '123.456.abc', view: modal('Nope') }));
    expect(error.data).toMatchObject({ error: 'invalid_trigger_id' });
  });

  it('publishes a Home tab per user and keeps its view id across publishes', async () => {
    const first = await client.views.publish({ user_id: ana.id, view: { type: 'home', blocks: [section('Welcome')] } });
    const second = await client.views.publish({ user_id: ana.id, view: { type: 'home', blocks: [section('Welcome back')] } });
    expect(first.view).toMatchObject({ type: 'home', id: expect.stringMatching(/^V/), hash: expect.any(String) });
    expect(second.view?.id).toBe(first.view?.id);
    expect(emulator.homeView(ana.id)?.blocks).toEqual([section('Welcome back')]);
    expect(emulator.homeView(ben.id)).toBeUndefined();
  });

  it('looks users up by id and email and lists user group members', async () => {
    const info = await client.users.info({ user: ana.id });
    expect(info.user).toMatchObject({ id: ana.id, real_name: 'Ana López', profile: { email: ana.email } });
    const byEmail = await client.users.lookupByEmail({ email: 'BEN.ITO@contoso.com' });
    expect(byEmail.user?.id).toBe(ben.id);
    const members = await client.usergroups.users.list({ usergroup: 'S0ADMINS01' });
    expect(members.users).toEqual([ana.id]);
  });

  it('answers users_not_found for an unknown email', async () => {
    const error = await rejection(client.users.lookupByEmail({ email: 'nobody@contoso.com' }));
    expect(error.data).toMatchObject({ ok: false, error: 'users_not_found' });
  });

  it('receives a filesUploadV2 upload end to end and shares it in the channel', async () => {
    const csv = 'email,product\nana.lopez@contoso.com,Power BI Pro\n';
    const result = await client.filesUploadV2({
      channel_id: channel,
      filename: 'power-bi-pro.csv',
      title: 'Power BI Pro users',
      content: csv,
      initial_comment: 'Here is the export',
    });
    expect(result.ok).toBe(true);
    expect(emulator.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    // @slack/web-api 8 posts the bytes as multipart/form-data (one file part named "body").
    expect(emulator.callsTo('upload')[0]?.args.content_type).toMatch(/^multipart\/form-data; boundary=/);

    const [file] = emulator.files();
    expect(file).toMatchObject({ name: 'power-bi-pro.csv', title: 'Power BI Pro users', mimetype: 'text/csv', channel, completed: true });
    expect(file?.content?.toString('utf8')).toBe(csv);
    expect(emulator.messages(channel)).toEqual([
      expect.objectContaining({ text: 'Here is the export', files: [{ id: file?.id, name: 'power-bi-pro.csv', title: 'Power BI Pro users' }] }),
    ]);
  });

  it('answers an injected 429 with Retry-After, then serves the next call normally', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const limited = clientWith({ rejectRateLimitedCalls: true });
    const error = await rejection(limited.chat.postMessage({ channel, text: 'hi' }));
    expect(error).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(emulator.callsTo('chat.postMessage')[0]).toMatchObject({ status: 429 });

    await expect(limited.chat.postMessage({ channel, text: 'hi' })).resolves.toMatchObject({ ok: true });
    expect(emulator.messages(channel)).toHaveLength(1);
  });

  it('answers an injected 5xx and an injected Slack error', async () => {
    emulator.failNext('users.info', { status: 503 });
    emulator.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const httpError = await rejection(client.users.info({ user: ana.id }));
    expect(httpError).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    const platformError = await rejection(client.chat.postMessage({ channel, text: 'hi' }));
    expect(platformError).toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    expect(emulator.messages(channel)).toEqual([]);
  });

  it('refuses blocks beyond Slack limits with invalid_blocks and says where', async () => {
    const error = await rejection(client.chat.postMessage({ channel, text: 'x', blocks: [section('x'.repeat(3001))] }));
    expect(error.data).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['3001 characters, limit 3000 [json-pointer:/blocks/0/text/text]'],
    });
    expect(emulator.messages(channel)).toEqual([]);
  });

  it('refuses a modal beyond Slack limits with invalid_arguments pointing into the view', async () => {
    const error = await rejection(client.views.open({ trigger_id: emulator.triggerId(ana.id), view: modal('A title longer than 24 chars') }));
    expect(error.data).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] 28 characters, limit 24 [json-pointer:/view/title/text]'] },
    });
    expect(emulator.openViews()).toEqual([]);
  });
});

describe('response_url endpoints of the Slack emulator', () => {
  const post = (url: string, body: Record<string, unknown>) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('shows a response to the user only, unless it is in_channel', async () => {
    const url = emulator.responseUrl(channel, ana.id);
    expect((await post(url, { text: 'Just for you' })).status).toBe(200);
    expect((await post(url, { text: 'For everyone', response_type: 'in_channel' })).status).toBe(200);
    expect(emulator.ephemeralMessages(ana.id)).toEqual([expect.objectContaining({ text: 'Just for you', source: 'response_url' })]);
    expect(emulator.messages(channel).map((m) => m.text)).toEqual(['For everyone']);
    expect(emulator.responseUrlPosts.map((p) => [p.channel, p.user, p.body.text])).toEqual([
      [channel, ana.id, 'Just for you'],
      [channel, ana.id, 'For everyone'],
    ]);
  });

  it('replaces or deletes the message an interaction came from', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'Page 1', blocks: [section('Page 1')] });
    const ts = posted.ts ?? '';
    await post(emulator.responseUrl(channel, ana.id, { ts }), { replace_original: true, text: 'Page 2', blocks: [section('Page 2')] });
    expect(emulator.message(channel, ts)).toMatchObject({ text: 'Page 2', blocks: [section('Page 2')] });
    await post(emulator.responseUrl(channel, ana.id, { ts }), { delete_original: true });
    expect(emulator.messages(channel)).toEqual([]);
  });

  it('refuses a response with invalid blocks', async () => {
    const response = await post(emulator.responseUrl(channel, ana.id), { text: 'x', blocks: [{ type: 'sectoin' }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(emulator.ephemeralMessages(ana.id)).toEqual([]);
  });
});
