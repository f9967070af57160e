/** `/purchases savings` and `/purchases report` through the real Bolt receiver, on the demo tenant. */
import { describe, expect, it } from 'vitest';
import { DEMO_EXAMPLES } from '../../src/tenant/local/demo-tenant.js';
import { ADMIN_A, ADMIN_CHANNEL, blocksOf, NON_ADMIN, textOf, useTestBot } from '../support/bot.js';
import { sqliteOnly } from '../support/database.js';

describe.each(sqliteOnly)('the savings finder and the report end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('lists what could be saved, largest first, each kind of waste of the demo tenant with its button', async () => {
    const { status, replies } = await t.command(ADMIN_A, 'savings');
    expect(status).toBe(200);
    expect(replies[0]!.response_type).toBe('ephemeral');
    const text = textOf(replies[0]);
    expect(text).toContain('Where self-service money could be saved');
    expect(text).toContain(`11 seats of 25 bought and never assigned in \`${DEMO_EXAMPLES.otherSubscriptionId.slice(0, 8)}\` (Meera Desai)`);
    expect(text).toContain('paying twice');
    expect(text).toContain('held by disabled or deleted accounts');
    expect(text).toContain('centralize instead: 23 self-service seats cost $345.00 a month, $276.00 at the central price of $12.00');
    expect(text).toContain('*Central is dearer*');
    expect(text).toContain('Visio Plan 1: the 6 self-service seats cost $30.00 a month; centrally they would cost $42.00');
    const amounts = blocksOf(replies[0])
      .filter((b) => b.accessory)
      .map((b) => Number(/\*\$([\d,.]+) a month\*/.exec(JSON.stringify(b))?.[1]?.replace(/,/g, '') ?? 'NaN'));
    expect(amounts.length).toBeGreaterThan(5);
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
  });

  it('shows the centralize plan from a finding’s Centralize button', async () => {
    await t.command(ADMIN_A, 'savings');
    const { replies } = await t.clickEphemeral(ADMIN_A, 'savings_centralize', 'CFQ7TTC0LH3L');
    expect(textOf(replies[0])).toContain('Centralize Power Automate per user');
  });

  it('posts the weekly report with its chart to the admins’ channel on /purchases report', async () => {
    const { replies } = await t.command(ADMIN_A, 'report');
    expect(textOf(replies[0])).toContain('Posting the weekly report to <#C0ADMINS01> with 3 charts');
    await t.bot.deliverOutbox();
    const [message] = t.emulator.messages(ADMIN_CHANNEL);
    expect(JSON.stringify(message!.blocks)).toContain('Weekly self-service purchases report');
    // The policies that let purchases through, by name; a disabled one is not among them.
    const policies = JSON.stringify(message!.blocks);
    expect(policies).toMatch(/• Microsoft 365 Copilot: trials\\n• Planner Plan 1: enabled/);
    expect(policies).not.toContain('Power Automate RPA');
    const charts = t.emulator.files().filter((f) => f.channel === ADMIN_CHANNEL);
    expect(charts.map((f) => f.name)).toEqual([
      'self-service-spend-eur-2026-11-25.png',
      'self-service-spend-gbp-2026-11-25.png',
      'self-service-spend-usd-2026-11-25.png',
    ]);
    expect(charts.every((f) => f.mimetype === 'image/png' && f.content!.readUInt32BE(16) === 1000)).toBe(true);
  });

  it('refuses savings and report to a non-admin', async () => {
    for (const text of ['savings', 'report']) {
      const { replies } = await t.command(NON_ADMIN, text);
      expect(textOf(replies[0])).toContain('only purchase-governance admins');
    }
    expect(t.emulator.messages(ADMIN_CHANNEL)).toHaveLength(0);
  });

  it('says savings and report take no argument', async () => {
    const { replies } = await t.command(ADMIN_A, 'savings Power BI Pro');
    expect(textOf(replies[0])).toContain('`savings` takes no argument');
  });

  it('shows on App Home the top savings last found, with a Take over button where one fixes it; Refresh finds them again', async () => {
    await t.database.prisma.jobState.deleteMany({ where: { key: 'savings.latest' } });
    const before = JSON.stringify((await t.openHome(ADMIN_A))!.blocks);
    expect(before).toContain('*Refresh* or `/purchases savings` finds what could be saved.');
    expect(before).not.toContain('bought and never assigned');

    await t.clickHome(ADMIN_A, 'home_refresh');
    const after = JSON.stringify(t.emulator.homeView(ADMIN_A)!.blocks);
    expect(after).toContain('*Top savings* as found 2026-11-25 09:00');
    expect(after).toContain('11 seats of 25 bought and never assigned');
    expect(after).toContain(
      `"action_id":"takeover_open","text":{"type":"plain_text","text":"Take over","emoji":true},"value":"${DEMO_EXAMPLES.otherSubscriptionId}"`,
    );
    // A Home tab has no conversation to answer in: no button there that answers in one.
    expect(after).not.toContain('savings_centralize');
    expect(after).not.toContain('subscription_export');
  });
});
