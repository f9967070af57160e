/**
 * SANDBOX_TENANT=microsoft without a browser: the sandbox runs the bot with TENANT=microsoft
 * against the Microsoft fake, and a newcomer can watch a sync, a cancel removing licenses in
 * Microsoft 365, and the admin-center step, through the page's API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_USERS } from '../../src/devkit/microsoft-fake/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { ADMIN_CHANNEL, SANDBOX_USERS } from '../../src/sandbox/workspace.js';
import { recordingLogger } from '../support/bot.js';

const [alice, bob] = SANDBOX_USERS;
if (!alice || !bob) throw new Error('the sandbox has its demo users');
const VISIO_OF_ANA = '5e1f0000-0000-4000-8000-000000000003';
/**
 * The sandbox answers Slack first and works after (as in production), and its outbox worker posts
 * on its own: a step shows up when it has happened. This only bounds how long a failure takes to
 * be reported on a machine whose cores other work shares.
 */
const SHOWS_UP = { timeout: 15_000, interval: 50 };

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-microsoft-'));
  sandbox = await startSandbox({
    port: 0,
    databaseFile: path.join(dir, 'sandbox.db'),
    tenant: 'microsoft',
    env: { BOT_TIMEZONE: 'UTC', MS_LICENSE_PACE_MS: '0' },
    logger: recordingLogger(),
  });
  await sandbox.bot.startupTenantSync;
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(route: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(route, sandbox.url.replace('localhost', '127.0.0.1')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const adminMessages = () => sandbox.emulator.messages(ADMIN_CHANNEL.id);
const withAction = (actionId: string) =>
  adminMessages()
    .filter((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`))
    .at(-1);

async function click(user: string, actionId: string) {
  const message = withAction(actionId);
  if (!message) throw new Error(`no message with ${actionId}`);
  const block = (message.blocks as Array<{ block_id?: string; elements?: Array<{ action_id?: string; value?: string }> }>).find((b) =>
    b.elements?.some((e) => e.action_id === actionId),
  );
  const value = block?.elements?.find((e) => e.action_id === actionId)?.value;
  await post('/api/action', {
    user,
    container: { type: 'message', channel: ADMIN_CHANNEL.id, ts: message.ts, ephemeral: false },
    action: { action_id: actionId, block_id: block?.block_id, value },
  });
}

describe('the sandbox with SANDBOX_TENANT=microsoft', () => {
  it('fills the record from the Microsoft 365 emulator at start, and /purchases sync then finds nothing new', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: '/purchases sync' });
    await vi.waitFor(
      () =>
        expect(sandbox.emulator.ephemeralMessages(alice.id).map((m) => m.text)).toContainEqual(
          expect.stringContaining('Synced from Microsoft 365: nothing changed'),
        ),
      SHOWS_UP,
    );
    expect(await sandbox.bot.database.prisma.subscription.count()).toBe(5);
  });

  it('walks a cancel: licenses removed in Microsoft 365, then the admin-center step and Marked as cancelled', async () => {
    await post('/api/command', { user: alice.id, channel: ADMIN_CHANNEL.id, text: `/purchases takeover ${VISIO_OF_ANA}` });
    const view = await vi.waitFor(() => {
      const open = sandbox.emulator.openViews(alice.id).at(-1);
      if (!open) throw new Error('no modal yet');
      return open;
    }, SHOWS_UP);
    await post('/api/submit', {
      user: alice.id,
      viewId: view.id,
      values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
    });
    await vi.waitFor(() => expect(withAction('takeover_approve')).toBeDefined(), SHOWS_UP);

    await click(bob.id, 'takeover_approve');
    await vi.waitFor(() => expect(withAction('takeover_marked_cancelled')).toBeDefined(), SHOWS_UP);
    expect(JSON.stringify(withAction('takeover_marked_cancelled')!.blocks)).toContain('License removed from 2 users: Ana Lopez, Tom Berg');
    expect(sandbox.microsoft!.graph.users.get(DEMO_USERS.ana.id)!.assignedLicenses.some((l) => l.skuId === 'c5928f49-12ba-48f7-ada3-0d743a3601d5')).toBe(false);

    await click(alice.id, 'takeover_marked_cancelled');
    await vi.waitFor(() => expect(JSON.stringify(adminMessages().at(-1)?.blocks ?? [])).toContain('marked it cancelled in the admin center'), SHOWS_UP);
  });
});
