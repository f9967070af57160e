/**
 * The sandbox's JSON API without a browser: what the page sends becomes signed Slack requests to
 * the real bot, and the state it reads back is what each demo user would see.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { ADMIN_CHANNEL, GENERAL_CHANNEL, SANDBOX_USERS } from '../../src/sandbox/workspace.js';
import { eventually } from '../support/eventually.js';
import { recordingLogger } from '../support/bot.js';

const [alice, bob, nina] = SANDBOX_USERS;
if (!alice || !bob || !nina) throw new Error('the sandbox has its demo users');

type Message = {
  ts: string;
  text: string;
  ephemeral: boolean;
  fromSlack?: boolean;
  blocks?: unknown[];
  files?: Array<{ url: string; name: string; mimetype: string; altText?: string }>;
};
type State = {
  me: string;
  home: { blocks: unknown[] } | null;
  conversations: Array<{ id: string; name: string; kind: string; messages: Message[] }>;
  calls: Array<{ method: string; ok: boolean }>;
  rejections: Array<{ method: string; error: string; messages: string[] }>;
};

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-api-'));
  sandbox = await startSandbox({ port: 0, databaseFile: path.join(dir, 'sandbox.db'), env: { BOT_TIMEZONE: 'UTC' }, logger: recordingLogger() });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(route: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(route, sandbox.url.replace('localhost', '127.0.0.1')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function state(user: string): Promise<State> {
  const response = await fetch(new URL(`/api/state?user=${user}`, sandbox.url.replace('localhost', '127.0.0.1')));
  return (await response.json()) as State;
}

function channel(s: State, id: string): Message[] {
  return s.conversations.find((c) => c.id === id)?.messages ?? [];
}

describe('the sandbox API', () => {
  it("gives each user the admins' channel, #general and their own DM with the app", async () => {
    const s = await state(alice.id);
    expect(s.conversations.map((c) => [c.kind, c.name])).toEqual([
      ['channel', ADMIN_CHANNEL.name],
      ['channel', GENERAL_CHANNEL.name],
      ['app', 'Purchase Governance'],
    ]);
    expect(s.conversations[2]!.id).toBe(sandbox.emulator.dmChannel(alice.id));
  });

  it('sends a slash command to the bot and shows the reply only to the user who typed it', async () => {
    expect((await post('/api/command', { user: alice.id, channel: GENERAL_CHANNEL.id, text: '/purchases list' })).status).toBe(200);
    await eventually(async () =>
      expect(channel(await state(alice.id), GENERAL_CHANNEL.id).map((m) => m.text)).toContainEqual(expect.stringContaining('self-service subscriptions')),
    );
    expect(channel(await state(nina.id), GENERAL_CHANNEL.id)).toEqual([]);
  });

  it("shows the bot's refusal of a non-admin as the app's ephemeral message", async () => {
    await post('/api/command', { user: nina.id, channel: ADMIN_CHANNEL.id, text: '/purchases list' });
    await eventually(async () =>
      expect(channel(await state(nina.id), ADMIN_CHANNEL.id)).toContainEqual(
        expect.objectContaining({ ephemeral: true, text: expect.stringContaining('only purchase-governance admins') }),
      ),
    );
    expect(channel(await state(nina.id), ADMIN_CHANNEL.id).some((m) => m.fromSlack)).toBe(false);
  });

  it('sends a click on a Show button of an ephemeral list to the bot, which shows the subscription to the clicker', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: '/purchases list' });
    let list: Message | undefined;
    await eventually(async () => {
      list = channel(await state(alice.id), ADMIN_CHANNEL.id).find((m) => m.text.includes('self-service subscriptions'));
      expect(list?.ephemeral).toBe(true);
    });
    type Element = { action_id?: string; value?: string };
    const row = (list!.blocks as Array<{ block_id?: string; accessory?: Element; elements?: Element[] }>).find(
      (b) => b.accessory?.action_id === 'subscription_show' || b.elements?.some((e) => e.action_id === 'subscription_show'),
    );
    const button = row?.accessory?.action_id === 'subscription_show' ? row.accessory : row?.elements?.find((e) => e.action_id === 'subscription_show');
    expect(button?.value).toBeDefined();

    const { status } = await post('/api/action', {
      user: alice.id,
      container: { type: 'message', channel: ADMIN_CHANNEL.id, ts: list!.ts, ephemeral: true },
      action: { action_id: 'subscription_show', block_id: row!.block_id, value: button!.value },
    });
    expect(status).toBe(200);
    await eventually(async () => {
      const shown = channel(await state(alice.id), ADMIN_CHANNEL.id).find((m) => JSON.stringify(m.blocks ?? []).includes('(self-service)'));
      expect(shown?.ephemeral).toBe(true);
      expect(JSON.stringify(shown?.blocks)).toMatch(/Purchaser.*Licenses/s);
    });
    expect(channel(await state(bob.id), ADMIN_CHANNEL.id).some((m) => JSON.stringify(m.blocks ?? []).includes('(self-service)'))).toBe(false);
  });

  it('opens the App Home when a user selects the Home tab: the commands for an admin, an explanation for anyone else', async () => {
    expect((await post('/api/tab', { user: bob.id, tab: 'home' })).status).toBe(200);
    expect(JSON.stringify((await state(bob.id)).home?.blocks)).toContain('/purchases list expiring:30');
    await post('/api/tab', { user: nina.id, tab: 'home' });
    const other = JSON.stringify((await state(nina.id)).home?.blocks);
    expect(other).toContain('Only admins can use it');
    expect(other).not.toContain('/purchases list');
  });

  it('shows the bot’s health check at /healthz, as the bot answers it', async () => {
    const response = await fetch(new URL('/healthz', sandbox.url.replace('localhost', '127.0.0.1')));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, problems: [] });
  });

  it('answers what is not a slash command, or another command, in Slack’s words', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: 'hello' });
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: '/giphy cats' });
    const fromSlack = channel(await state(alice.id), ADMIN_CHANNEL.id)
      .filter((m) => m.fromSlack)
      .map((m) => m.text);
    expect(fromSlack).toEqual([expect.stringContaining('Only slash commands reach the app'), expect.stringContaining('`/giphy` is not a valid command')]);
  });

  it('refuses a request for a user who is not in the sandbox, saying why in words', async () => {
    const { status, json } = await post('/api/command', { user: 'U0STRANGER1', channel: ADMIN_CHANNEL.id, text: '/purchases list' });
    expect(status).toBe(400);
    expect(String(json.error)).toContain('the user is not one of the sandbox’s demo users');
    expect(String(json.error)).not.toContain('✖');
  });

  it('passes a command longer than a page to the bot, which quotes back only a short excerpt', async () => {
    const typed = `/purchases list ${'Power BI Pro '.repeat(500)}`;
    const { status } = await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: typed });
    expect(status).toBe(200);
    let reply = '';
    await eventually(async () => {
      reply =
        channel(await state(alice.id), ADMIN_CHANNEL.id)
          .map((m) => m.text)
          .find((text) => text.includes('No product matches')) ?? '';
      expect(reply).not.toBe('');
    });
    expect(reply).toContain('No product matches `Power BI Pro Power BI Pro Power BI Pro…`');
    expect(reply.length).toBeLessThan(600);
    expect(reply).not.toContain('✖');
  });

  it('refuses a click on a message that does not exist instead of inventing one', async () => {
    const { status, json } = await post('/api/action', {
      user: alice.id,
      container: { type: 'message', channel: ADMIN_CHANNEL.id, ts: '1.000001', ephemeral: false },
      action: { action_id: 'subscription_show' },
    });
    expect(status).toBe(400);
    expect(json.error).toBe(`No message 1.000001 in ${ADMIN_CHANNEL.id}`);
  });

  it('serves an exported file with its bytes and name', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: '/purchases export Visio Plan 2' });
    let url = '';
    await eventually(async () => {
      url = channel(await state(alice.id), ADMIN_CHANNEL.id).flatMap((m) => m.files ?? [])[0]?.url ?? '';
      expect(url).not.toBe('');
    });
    const response = await fetch(new URL(url, sandbox.url.replace('localhost', '127.0.0.1')));
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    expect((await response.text()).length).toBeGreaterThan(0);
  });

  it('shows the weekly report with its chart as a picture, alt text and all', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: '/purchases report' });
    let picture: { url: string; name: string; mimetype: string; altText?: string } | undefined;
    await eventually(async () => {
      const messages = channel(await state(alice.id), ADMIN_CHANNEL.id);
      expect(messages.some((m) => JSON.stringify(m.blocks ?? []).includes('Weekly self-service purchases report'))).toBe(true);
      picture = messages.flatMap((m) => m.files ?? []).find((f) => f.name.startsWith('self-service-spend-usd-'));
      expect(picture).toBeDefined();
    });
    expect(picture!.mimetype).toBe('image/png');
    expect(picture!.altText).toMatch(/^Self-service spend per month in USD, by product, .* Total per month: .*\$[\d,]+\.\d\d/);
    const response = await fetch(new URL(picture!.url, sandbox.url.replace('localhost', '127.0.0.1')));
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; /);
    const png = Buffer.from(await response.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1000, 500]);
  });

  it('lists the Web API calls the bot made and flags a payload the emulator refused', async () => {
    await fetch(`${sandbox.emulator.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.emulator.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: ADMIN_CHANNEL.id, text: 'too many', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    });
    const s = await state(alice.id);
    expect(s.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['auth.test', 'files.getUploadURLExternal', 'chat.postMessage']));
    expect(s.rejections).toEqual([expect.objectContaining({ method: 'chat.postMessage', error: 'invalid_blocks', messages: [expect.stringContaining('51')] })]);
  });
});
