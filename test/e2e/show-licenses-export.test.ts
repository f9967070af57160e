import { describe, expect, it } from 'vitest';
import { ADMIN_A, NON_ADMIN, useTestBot } from '../support/bot.js';
import { buildBlockActionsPayload } from '../support/slack-requests.js';
import { sqliteOnly } from '../support/database.js';
import { DEMO_EXAMPLES } from '../../src/tenant/local/demo-tenant.js';

// Stable ids of the demo tenant (its ids do not depend on the date it is seeded).
const MEERA_PBI = DEMO_EXAMPLES.otherSubscriptionId;
const CANCELLED_COPILOT = '7980739a-dd66-403b-bfca-5ba62e3cef7b';

const text = (value: unknown) => JSON.stringify(value ?? {});

describe.each(sqliteOnly)('show, licenses and export end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('shows a subscription by a short id, with its users and an Export users button', async () => {
    const { replies } = await t.command(ADMIN_A, `show ${MEERA_PBI.slice(0, 8)}`);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.response_type).toBe('ephemeral');
    const body = text(replies[0]);
    expect(body).toContain('Power BI Pro (self-service)');
    expect(body).toContain('Meera Desai');
    expect(body).toContain('25 purchased · 14 assigned · 11 free');
    expect(body).toContain('Assigned users (14)');
    expect(body).toContain('"action_id":"subscription_export"');
  });

  it('shows who cancelled a deleted subscription, when and why, and no free licenses of a subscription that is gone', async () => {
    const { replies } = await t.command(ADMIN_A, `show ${CANCELLED_COPILOT}`);
    const body = text(replies[0]);
    expect(body).toContain('Cancelled on');
    expect(body).toContain('by Marcus Oyelaran. Reason: Purchase not approved');
    expect(body).toContain('3 purchased · released when it was cancelled');
    expect(body).not.toMatch(/\d+ free/);
    expect(body).toContain('no longer billed');
  });

  it('says which subscription ids exist when one does not', async () => {
    const { replies } = await t.command(ADMIN_A, 'show 00000000');
    expect(text(replies[0])).toContain('No subscription has the id `00000000`');
  });

  it('opens a subscription from the Show button of a list row', async () => {
    await t.command(ADMIN_A, 'list purchaser:meera');
    const { replies } = await t.clickEphemeral(ADMIN_A, 'subscription_show', MEERA_PBI);
    expect(replies).toHaveLength(1);
    expect(text(replies[0])).toContain(MEERA_PBI);
  });

  it('adds up a product across all its subscriptions and groups users by purchaser', async () => {
    const { replies } = await t.command(ADMIN_A, 'licenses power bi pro');
    const body = text(replies[0]);
    expect(body).toContain('Power BI Pro: licenses');
    expect(body).toContain('*Available quantity*');
    expect(body).toContain('*Central subscription*');
    expect(body).toContain('Meera Desai');
    const expected = await t.database.prisma.subscription.aggregate({
      where: { productId: 'CFQ7TTC0H9MP', status: 'Active' },
      _sum: { licensesPurchased: true },
    });
    expect(body).toContain(`*Available quantity*\\n${expected._sum.licensesPurchased}`);
  });

  it('lists the candidates when a product name is ambiguous', async () => {
    const { replies } = await t.command(ADMIN_A, 'licenses visio');
    expect(text(replies[0])).toContain('matches 2 products');
    expect(text(replies[0])).toContain('CFQ7TTC0HD33');
  });

  it('uploads the CSV of a product with the three upload calls, to the conversation it was asked in', async () => {
    const { replies } = await t.command(ADMIN_A, 'export Visio Plan 2', 'C0WORKROOM');
    const methods = t.emulator.calls.map((c) => c.method);
    expect(methods).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const complete = t.emulator.callsTo('files.completeUploadExternal')[0]!;
    expect(complete.args.channel_id).toBe('C0WORKROOM');
    const [file] = t.emulator.files();
    expect(file!.name).toMatch(/^licensed-users-visio-plan-2-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = file!.content!.toString('utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Subscription id,Product,Purchaser,User name,Email / UPN,Assigned at');
    const holders = await t.database.prisma.licenseAssignment.count({
      where: { removedAt: null, subscription: { productId: 'CFQ7TTC0HD32' } },
    });
    expect(lines).toHaveLength(holders + 1);
    expect(csv).toContain('Central subscription');
    expect(text(replies.at(-1))).toContain(`(${holders} users) to this conversation`);
  });

  it('exports one subscription from its Export users button', async () => {
    await t.command(ADMIN_A, `show ${MEERA_PBI}`);
    const { replies } = await t.clickEphemeral(ADMIN_A, 'subscription_export', MEERA_PBI);
    const csv = t.emulator.files()[0]!.content!.toString('utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(15);
    expect(text(replies.at(-1))).toContain('14 users');
  });

  it('tells the admin to invite the bot when it cannot post files in the channel', async () => {
    t.emulator.failNext('files.completeUploadExternal', { ok: false, error: 'not_in_channel' });
    const { replies } = await t.command(ADMIN_A, 'export Visio Plan 2', 'C0PRIVATE1');
    expect(text(replies.at(-1))).toContain('/invite @Purchase Governance');
  });

  it('refuses a non-admin who presses a button on a message they can see, and audits it', async () => {
    await t.command(ADMIN_A, `show ${MEERA_PBI}`);
    const message = t.emulator.ephemeralMessages(ADMIN_A).at(-1)!;
    // A non-admin cannot see an admin's ephemeral message, but a forwarded or shared message
    // carries the same buttons: simulate the click as Slack would send it.
    t.emulator.addUser({ id: NON_ADMIN, name: 'nina', real_name: 'Nina Curious' });
    const posted = t.emulator.responseUrl(message.channel, NON_ADMIN);
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: ADMIN_A,
      action: { action_id: 'subscription_export', value: MEERA_PBI },
      message: { channel: message.channel, ts: message.message_ts, ephemeral: true },
    });
    const forged = { ...payload, user: { id: NON_ADMIN, username: 'nina', name: 'nina', team_id: t.emulator.teamId }, response_url: posted };
    const before = t.emulator.responseUrlPosts.length;
    expect((await t.interact(forged)).status).toBe(200);
    const replies = t.emulator.responseUrlPosts.slice(before);
    expect(replies).toHaveLength(1);
    expect(text(replies[0]!.body)).toContain('only purchase-governance admins');
    expect(t.emulator.files()).toHaveLength(0);
    const audit = await t.database.prisma.auditEvent.findFirst({ where: { actorId: NON_ADMIN, subjectType: 'action' } });
    expect(audit).toMatchObject({ action: 'access.denied', subjectId: 'subscription_export', outcome: 'denied' });
  });

  it('answers an unexpected failure with a reference that the log explains, and never logs secrets', async () => {
    // Slack's own failures get a reply naming them (slack-failures.test.ts); this answer is a surprise.
    t.emulator.failNext('files.getUploadURLExternal', { ok: true });
    const { replies } = await t.command(ADMIN_A, 'export Visio Plan 2', 'C0WORKROOM');
    const ref = /Something went wrong \(ref ([0-9a-f]{8})\)/.exec(text(replies.at(-1)))?.[1];
    expect(ref).toBeDefined();
    const log = t.logger.lines.join('\n');
    expect(log).toContain(`ref ${ref}`);
    expect(log).not.toContain(t.emulator.botToken);
    expect(log).not.toContain('e2e-signing-secret');
  });
});
