import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvent, sendSlashCommand } from '../support/slack-requests.js';
import { ADMIN_A, blocksOf, NON_ADMIN, startTestBot, textOf, useTestBot, type TestBot } from '../support/bot.js';
import { sqliteOnly } from '../support/database.js';

describe.each(sqliteOnly)('/purchases end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('answers an empty command and help with usage and examples, only to the asker', async () => {
    for (const text of ['', 'help']) {
      const { status, replies } = await t.command(ADMIN_A, text);
      expect(status).toBe(200);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.response_type).toBe('ephemeral');
      expect(textOf(replies[0])).toContain('/purchases list [product]');
      expect(textOf(replies[0])).toContain('/purchases export Power BI Pro');
    }
  });

  it('answers an unknown subcommand with usage that names it', async () => {
    const { replies } = await t.command(ADMIN_A, 'cancel everything');
    expect(textOf(replies[0])).toContain("I don't know `cancel`");
  });

  it('refuses a malformed filter, naming it and showing the right form', async () => {
    const { replies } = await t.command(ADMIN_A, 'list status:gone');
    expect(replies[0]!.response_type).toBe('ephemeral');
    expect(textOf(replies[0])).toContain('`status:gone` is not a status');
    expect(textOf(replies[0])).toContain('/purchases list [product] [purchaser:');
  });

  it('lists 20 subscriptions a page and pages forward and back with the buttons', async () => {
    const { replies } = await t.command(ADMIN_A, 'list status:all');
    const first = blocksOf(replies[0]);
    const rows = first.filter((b) => b.accessory?.action_id === 'subscription_show');
    expect(rows).toHaveLength(20);
    expect(textOf(replies[0])).toContain('40 self-service subscriptions');
    const nav = first.find((b) => b.block_id === 'list_nav')!;
    expect(nav.elements!.map((e) => e.text.text)).toEqual(['Next']);

    const next = await t.clickEphemeral(ADMIN_A, 'list_page_next');
    expect(next.status).toBe(200);
    const second = next.replies;
    expect(second).toHaveLength(1);
    expect(second[0]!.replace_original).toBe(true);
    const secondRows = blocksOf(second[0]).filter((b) => b.accessory?.action_id === 'subscription_show');
    expect(secondRows).toHaveLength(20);
    const firstIds = new Set(rows.map((r) => r.accessory!.value));
    expect(secondRows.some((r) => firstIds.has(r.accessory!.value))).toBe(false);
  });
});

describe.each(sqliteOnly)('who may use /purchases, on %s', (provider) => {
  const t = useTestBot({ provider });

  it('refuses a non-admin politely and audits the attempt', async () => {
    const { status, replies } = await t.command(NON_ADMIN, 'list');
    expect(status).toBe(200);
    expect(textOf(replies[0])).toContain('only purchase-governance admins');
    expect(replies[0]!.response_type).toBe('ephemeral');
    const audit = await t.database.prisma.auditEvent.findMany({ where: { actorId: NON_ADMIN } });
    expect(audit).toEqual([expect.objectContaining({ action: 'access.denied', subjectType: 'command', subjectId: '/purchases list', outcome: 'denied' })]);
  });

  it('rejects a forged or stale signature with 401 and runs nothing', async () => {
    const forged = await sendSlashCommand(
      t.target,
      { command: '/purchases', text: 'list', user_id: ADMIN_A, channel_id: 'D0DIRECT01' },
      { signature: 'v0=deadbeef' },
    );
    expect(forged.status).toBe(401);
    const stale = await sendSlashCommand(
      t.target,
      { command: '/purchases', text: 'list', user_id: ADMIN_A, channel_id: 'D0DIRECT01' },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    expect(t.emulator.responseUrlPosts.filter((p) => p.user === ADMIN_A)).toHaveLength(0);
  });
});

describe.each(sqliteOnly)('admins given as a Slack user group, on %s', (provider) => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot({ provider, env: { ADMIN_USER_IDS: '', ADMIN_USERGROUP_ID: 'S0ADMINS01' } });
    t.emulator.addUserGroup({ id: 'S0ADMINS01', handle: 'm365-admins', users: [NON_ADMIN] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets members of the group in and keeps others out', async () => {
    const member = await t.command(NON_ADMIN, 'help');
    expect(JSON.stringify(member.replies)).toContain('/purchases list');
    const outsider = await t.command(ADMIN_A, 'help');
    expect(JSON.stringify(outsider.replies)).toContain('only purchase-governance admins');
  });
});

describe.each(sqliteOnly)('the App Home tab, on %s', (provider) => {
  const t = useTestBot({ provider });

  it('shows admins how to use the bot and others only an explanation', async () => {
    await sendEvent(t.target, { type: 'app_home_opened', user: ADMIN_A, channel: 'D0DIRECT01', tab: 'home', event_ts: '1764061200.000200' });
    await sendEvent(t.target, { type: 'app_home_opened', user: NON_ADMIN, channel: 'D0DIRECT02', tab: 'home', event_ts: '1764061200.000300' });
    expect(JSON.stringify(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('/purchases list');
    const outsider = JSON.stringify(t.emulator.homeView(NON_ADMIN)?.blocks);
    expect(outsider).toContain('Only admins can use it');
    expect(outsider).not.toContain('/purchases list');
  });
});
