import type { AddressInfo, Server } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/devkit/slack-emulator/index.js';
import { eventually } from '../support/eventually.js';
import {
  buildBlockActionsPayload,
  buildViewSubmissionPayload,
  formValues,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  signSlackRequest,
  type SlackRequestTarget,
} from '../support/slack-requests.js';

describe('signSlackRequest', () => {
  it("reproduces the signature of Slack's documented example request", () => {
    // docs.slack.dev/authentication/verifying-requests-from-slack: the worked example.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
      '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });

  it("passes Bolt's own request verification", () => {
    const body = '{"type":"event_callback"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest('secret', body, timestamp);
    expect(() =>
      verifySlackRequest({
        signingSecret: 'secret',
        body,
        headers: { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': headers['X-Slack-Signature'] },
      }),
    ).not.toThrow();
  });
});

const signingSecret = 'test-signing-secret';
const ana = { id: 'U0ANA00001', name: 'ana', real_name: 'Ana López', email: 'ana.lopez@contoso.com' };
const channel = 'C0ADMINS01';
const plain = (text: string) => ({ type: 'plain_text' as const, text });

let emulator: SlackEmulator;
let app: App;
let target: SlackRequestTarget;
const seen: { commands: Record<string, unknown>[]; submissions: Record<string, unknown>[] } = { commands: [], submissions: [] };

/** A small Bolt app wired to the emulator, standing in for the real one in these helper tests. */
function buildApp(): App {
  const bolt = new App({
    token: emulator.botToken,
    signingSecret,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emulator.url, retryConfig: { retries: 0 } },
  });
  bolt.command('/purchases', async ({ ack, body, client, respond }) => {
    await ack();
    seen.commands.push(body as unknown as Record<string, unknown>);
    if (body.text === 'modal') {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'cancel',
          private_metadata: 'sub-1',
          title: plain('Cancel subscription'),
          submit: plain('Cancel it'),
          blocks: [
            { type: 'input', block_id: 'reason', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'text' } },
            {
              type: 'input',
              block_id: 'kind',
              label: plain('Kind'),
              element: {
                type: 'static_select',
                action_id: 'pick',
                options: [
                  { text: plain('Not needed'), value: 'not_needed' },
                  { text: plain('Duplicate'), value: 'duplicate' },
                ],
              },
            },
          ],
        },
      });
    } else {
      await respond({
        response_type: 'in_channel',
        text: 'Page 1',
        blocks: [{ type: 'actions', block_id: 'nav', elements: [{ type: 'button', action_id: 'next', text: plain('Next'), value: 'cursor-2' }] }],
      });
    }
  });
  bolt.action('next', async ({ ack, action, respond }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    await respond({ replace_original: true, text: `Page for ${value}` });
  });
  bolt.view('cancel', async ({ ack, view }) => {
    seen.submissions.push(view as unknown as Record<string, unknown>);
    await ack();
  });
  bolt.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } }] } });
  });
  return bolt;
}

beforeAll(async () => {
  emulator = await startSlackEmulator({ users: [ana] });
  app = buildApp();
  const server = (await app.start(0)) as Server;
  target = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, signingSecret, emulator };
});

afterAll(async () => {
  await app.stop();
  await emulator.close();
});

beforeEach(() => {
  seen.commands.length = 0;
  seen.submissions.length = 0;
});

describe('requests sent to a Bolt HTTP receiver', () => {
  it('deliver a slash command form-encoded, with a response_url and trigger_id from the emulator', async () => {
    const result = await sendSlashCommand(target, { command: '/purchases', text: 'list', user_id: ana.id, channel_id: channel });
    expect(result.status).toBe(200);
    await eventually(() => expect(emulator.messages(channel).map((m) => m.text)).toContain('Page 1'));
    expect(seen.commands[0]).toMatchObject({
      command: '/purchases',
      text: 'list',
      user_id: ana.id,
      user_name: 'ana',
      channel_id: channel,
      team_id: emulator.teamId,
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
  });

  it('are refused with 401 when the signature is wrong or the timestamp is stale', async () => {
    const input = { command: '/purchases', text: 'list', user_id: ana.id, channel_id: channel };
    const forged = await sendSlashCommand(target, input, { signature: 'v0=0000' });
    const stale = await sendSlashCommand(target, input, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(seen.commands).toEqual([]);
  });

  it('deliver a button click from a message, whose respond() replaces that message', async () => {
    await sendSlashCommand(target, { command: '/purchases', text: 'list', user_id: ana.id, channel_id: channel });
    await eventually(() => expect(emulator.messages(channel)).toHaveLength(1));
    const page = emulator.messages(channel)[0];
    const payload = buildBlockActionsPayload(emulator, {
      user_id: ana.id,
      message: { channel, ts: page?.ts ?? '' },
      action: { action_id: 'next' },
    });
    expect(payload.actions).toEqual([expect.objectContaining({ type: 'button', block_id: 'nav', value: 'cursor-2' })]);
    expect((await sendInteraction(target, payload)).status).toBe(200);
    await eventually(() => expect(emulator.message(channel, page?.ts ?? '')?.text).toBe('Page for cursor-2'));
  });

  it('refuse to build a click on an element that is not rendered', () => {
    expect(() => buildBlockActionsPayload(emulator, { user_id: ana.id, message: { channel, ts: '1.000001' }, action: { action_id: 'next' } })).toThrow(
      /No message 1.000001/,
    );
  });

  it('deliver a modal submission with the state Slack would send', async () => {
    await sendSlashCommand(target, { command: '/purchases', text: 'modal', user_id: ana.id, channel_id: channel });
    await eventually(() => expect(emulator.openViews(ana.id)).toHaveLength(1));
    const [view] = emulator.openViews(ana.id);
    if (!view) throw new Error('no modal opened');
    const payload = buildViewSubmissionPayload(emulator, {
      user_id: ana.id,
      view,
      values: { reason: { text: 'Bought twice' }, kind: { pick: 'duplicate' } },
    });
    const result = await sendInteraction(target, payload);
    expect(result.status).toBe(200);
    expect(seen.submissions[0]).toMatchObject({
      id: view.id,
      callback_id: 'cancel',
      private_metadata: 'sub-1',
      state: {
        values: {
          reason: { text: { type: 'plain_text_input', value: 'Bought twice' } },
          kind: { pick: { type: 'static_select', selected_option: { value: 'duplicate' } } },
        },
      },
    });
  });

  it('deliver a form submission with the empty entries Slack sends for inputs left empty', async () => {
    await sendSlashCommand(target, { command: '/purchases', text: 'modal', user_id: ana.id, channel_id: channel });
    await eventually(() => expect(emulator.openViews(ana.id)).toHaveLength(1));
    const [view] = emulator.openViews(ana.id);
    if (!view) throw new Error('no modal opened');
    const values = formValues(view, { reason: { text: '' } });
    await sendInteraction(target, buildViewSubmissionPayload(emulator, { user_id: ana.id, view, values }));
    expect(seen.submissions[0]).toMatchObject({
      state: {
        values: {
          reason: { text: { type: 'plain_text_input', value: null } },
          kind: { pick: { type: 'static_select', selected_option: null } },
        },
      },
    });
  });

  it('deliver an event in its event_callback envelope', async () => {
    const result = await sendEvent(target, { type: 'app_home_opened', user: ana.id, channel: emulator.dmChannel(ana.id), tab: 'home' });
    expect(result.status).toBe(200);
    await eventually(() => expect(emulator.homeView(ana.id)?.blocks).toHaveLength(1));
  });
});
