import { describe, expect, it } from 'vitest';
import type { EmulatedMessage, EmulatedView } from '../../src/devkit/slack-emulator/index.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, NON_ADMIN, startTestBot, useTestBot } from '../support/bot.js';
import { sqliteOnly } from '../support/database.js';
import { buildBlockActionsPayload, buildViewSubmissionPayload, sendInteraction, type InputValue } from '../support/slack-requests.js';

const MEERA = 'U0MEERA001';
const POWER_BI_PRO = 'CFQ7TTC0H9MP';

describe.each(sqliteOnly)('take-over end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  /** Active self-service subscriptions with users, of Meera (who is in Slack) or of people who are not. */
  async function subscriptions(of: 'meera' | 'others') {
    const purchaser = of === 'meera' ? { email: 'meera.desai@contoso.com' } : { email: { not: 'meera.desai@contoso.com' } };
    const rows = await t.database.prisma.subscription.findMany({
      where: { status: 'Active', isSelfService: true, productId: POWER_BI_PRO, purchaser, assignments: { some: { removedAt: null } } },
      orderBy: { id: 'asc' },
    });
    const open = await t.database.prisma.takeoverRequest.findMany({ select: { subscriptionId: true } });
    return rows.filter((r) => !open.some((o) => o.subscriptionId === r.id));
  }

  async function centralPowerBi() {
    return t.database.prisma.subscription.findFirstOrThrow({ where: { productId: POWER_BI_PRO, isSelfService: false } });
  }

  async function openModal(user: string, subscriptionId: string): Promise<EmulatedView> {
    const { replies } = await t.command(user, `takeover ${subscriptionId.slice(0, 8)}`);
    expect(replies).toEqual([]);
    const view = t.emulator.openViews(user).at(-1);
    if (!view) throw new Error('no modal opened');
    return view;
  }

  async function submit(user: string, view: EmulatedView, values: Record<string, Record<string, InputValue>>) {
    const result = await t.interact(buildViewSubmissionPayload(t.emulator, { user_id: user, view, values }));
    expect(result.status).toBe(200);
    return result.json as { response_action?: string; errors?: Record<string, string> } | undefined;
  }

  async function ask(user: string, subscriptionId: string, values: Record<string, Record<string, InputValue>>): Promise<EmulatedMessage> {
    const errors = await submit(user, await openModal(user, subscriptionId), values);
    expect(errors).toBeUndefined();
    await t.bot.deliverOutbox();
    const message = t.emulator.messages(ADMIN_CHANNEL).at(-1);
    if (!message) throw new Error('no approval message');
    return message;
  }

  const move = (targetId: string) => ({ takeover_kind: { kind: 'move' }, takeover_target: { target: targetId } });
  const cancel = (reason: string, comment?: string) => ({
    takeover_kind: { kind: 'cancel' },
    takeover_reason: { reason },
    ...(comment ? { takeover_comment: { comment } } : {}),
  });

  async function click(user: string, actionId: string, message: EmulatedMessage) {
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: user,
      action: { action_id: actionId },
      message: { channel: ADMIN_CHANNEL, ts: message.ts },
    });
    const before = t.emulator.responseUrlPosts.length;
    const result = await t.interact(payload);
    expect(result.status).toBe(200);
    return { payload, replies: t.emulator.responseUrlPosts.slice(before).map((p) => JSON.stringify(p.body)) };
  }

  async function statusOf(subscriptionId: string) {
    return (await t.database.prisma.takeoverRequest.findFirstOrThrow({ where: { subscriptionId } })).status;
  }

  it('moves users after a second admin approves: the message shows the outcome and Meera gets a DM', async () => {
    const [own] = await subscriptions('meera');
    const central = await centralPowerBi();
    const message = await ask(ADMIN_A, own!.id, move(central.id));
    expect(message.text).toContain('waiting for approval');
    expect(JSON.stringify(message.blocks)).toContain(`<@${ADMIN_A}> asks to move the users of the *Power BI Pro* subscription`);
    expect(JSON.stringify(message.blocks)).toContain('users move to the central Power BI Pro subscription');

    const { replies } = await click(ADMIN_B, 'takeover_approve', message);
    expect(replies).toEqual([]);
    await t.bot.deliverOutbox();
    const updated = t.emulator.message(ADMIN_CHANNEL, message.ts)!;
    const shown = JSON.stringify(updated.blocks);
    expect(shown).toContain(`Approved by <@${ADMIN_B}>`);
    expect(shown).toContain('users moved');
    expect(shown).toContain('Meera Desai is told by direct message');
    expect(shown).not.toContain('takeover_approve');
    const dm = t.emulator.messages(t.emulator.dmChannel(MEERA));
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toContain('moved its users to a subscription managed by IT');
    expect(dm[0]!.text).toContain(`<@${ADMIN_B}> approved it at the request of <@${ADMIN_A}>`);
    const old = await t.database.prisma.subscription.findUniqueOrThrow({ where: { id: own!.id } });
    expect(old).toMatchObject({ status: 'Deleted', cancelledBy: ADMIN_B });
    expect(await statusOf(own!.id)).toBe('EXECUTED');
  });

  it('cancels after approval behind an “Are you sure” confirmation, and says when the purchaser is not in Slack', async () => {
    const [own] = await subscriptions('others');
    const message = await ask(ADMIN_A, own!.id, cancel('Too expensive', 'Central licenses exist'));
    const approve = JSON.stringify(message.blocks);
    expect(approve).toContain('Are you sure you want to cancel?');
    expect(approve).toContain('lose access to Power BI Pro');

    await click(ADMIN_B, 'takeover_approve', message);
    await t.bot.deliverOutbox();
    const shown = JSON.stringify(t.emulator.message(ADMIN_CHANNEL, message.ts)!.blocks);
    expect(shown).toMatch(/licenses? removed, subscription cancelled/);
    expect(shown).toContain('is not in Slack and was not told');
    expect(await t.database.prisma.subscription.findUniqueOrThrow({ where: { id: own!.id } })).toMatchObject({
      status: 'Deleted',
      cancelReason: 'Too expensive',
      cancelComment: 'Central licenses exist',
    });
    expect(await t.database.prisma.licenseAssignment.count({ where: { subscriptionId: own!.id, removedAt: null } })).toBe(0);

    const { replies } = await t.command(ADMIN_A, `show ${own!.id.slice(0, 8)}`);
    const show = JSON.stringify(replies[0]);
    expect(show).toContain(`by <@${ADMIN_B}>. Reason: Too expensive — Central licenses exist`);
    expect(show).not.toContain(`by ${ADMIN_B}`);
    expect(show).toContain('released when it was cancelled');
  });

  it('refuses the requester’s own approval and a non-admin’s, leaving the request pending', async () => {
    const [own] = await subscriptions('others');
    const message = await ask(ADMIN_A, own!.id, cancel('Other', 'Checked with the team'));
    const self = await click(ADMIN_A, 'takeover_approve', message);
    expect(self.replies.join()).toContain('another admin has to approve it');
    const stranger = await click(NON_ADMIN, 'takeover_approve', message);
    expect(stranger.replies.join()).toContain('only purchase-governance admins');
    expect(await statusOf(own!.id)).toBe('PENDING');
  });

  it('runs a duplicated approve delivery once and tells the second who approved', async () => {
    const [own] = await subscriptions('others');
    const message = await ask(ADMIN_A, own!.id, cancel('Bought by mistake'));
    const first = await click(ADMIN_B, 'takeover_approve', message);
    const before = t.emulator.responseUrlPosts.length;
    // The same click delivered again with another timestamp (an identical signature is a replay,
    // refused before this): two minutes earlier, still inside the five-minute window, and never
    // the first delivery's second however slow the machine.
    await sendInteraction(t.target, first.payload, { timestamp: Math.floor(Date.now() / 1000) - 120 });
    const again = t.emulator.responseUrlPosts.slice(before).map((p) => JSON.stringify(p.body));
    expect(again.join()).toContain(`already approved by <@${ADMIN_B}>`);
    const executed = await t.database.prisma.auditEvent.count({ where: { action: 'takeover.cancel.executed', subjectId: own!.id } });
    expect(executed).toBe(1);
  });

  it('rejects with a reason from the reject modal, updates the message and tells the requester', async () => {
    const [own] = await subscriptions('others');
    const message = await ask(ADMIN_A, own!.id, cancel('Other', 'Checked with the team'));
    await click(ADMIN_B, 'takeover_reject', message);
    const modal = t.emulator.openViews(ADMIN_B).at(-1)!;
    expect(modal.callback_id).toBe('takeover_reject_reason');
    expect(await submit(ADMIN_B, modal, { reject_reason: { reason: 'Ask the purchaser first' } })).toBeUndefined();
    await t.bot.deliverOutbox();
    const shown = JSON.stringify(t.emulator.message(ADMIN_CHANNEL, message.ts)!.blocks);
    expect(shown).toContain(`Rejected* by <@${ADMIN_B}>`);
    expect(shown).not.toContain('takeover_approve');
    const told = t.emulator.messages(t.emulator.dmChannel(ADMIN_A)).at(-1)!;
    expect(told.text).toContain('was rejected');
    expect(told.text).toContain('Ask the purchaser first');
    expect(await statusOf(own!.id)).toBe('REJECTED');
  });

  it('shows a stale submission’s problem on the modal: the subscription was cancelled while it was open', async () => {
    const [own] = await subscriptions('others');
    const view = await openModal(ADMIN_A, own!.id);
    await t.database.prisma.subscription.update({ where: { id: own!.id }, data: { status: 'Deleted' } });
    const answer = await submit(ADMIN_A, view, cancel('Other', 'Checked with the team'));
    expect(answer?.response_action).toBe('errors');
    expect(answer?.errors?.takeover_kind).toContain('already cancelled');
    expect(await t.database.prisma.takeoverRequest.count({ where: { subscriptionId: own!.id } })).toBe(0);
  });

  it('names the admin who already asked by name on the modal, which shows plain text, not a raw user id', async () => {
    const [own] = await subscriptions('others');
    await ask(ADMIN_A, own!.id, cancel('Too expensive'));
    const answer = await submit(ADMIN_B, await openModal(ADMIN_B, own!.id), cancel('No longer needed'));
    expect(answer?.errors?.takeover_kind).toContain('already waiting (asked by @Alice Admin)');
    expect(answer?.errors?.takeover_kind).not.toContain('<@');
  });

  it('refuses on the modal a move target without enough free licenses, with the numbers', async () => {
    const [own] = await subscriptions('others');
    const view = await openModal(ADMIN_A, own!.id);
    const [other] = (await subscriptions('others')).filter((s) => s.id !== own!.id);
    await t.database.prisma.subscription.update({ where: { id: other!.id }, data: { licensesPurchased: 0 } });
    const answer = await submit(ADMIN_A, view, move(other!.id));
    expect(answer?.errors?.takeover_target).toMatch(/has 0 free licenses but \d+ users? needs? one/);
  });

  it('delivers the approval message once after a 429 from Slack, when Retry-After has passed', async () => {
    const [own] = await subscriptions('others');
    const errors = await submit(ADMIN_A, await openModal(ADMIN_A, own!.id), cancel('Other', 'Checked with the team'));
    expect(errors).toBeUndefined();
    t.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    expect(await t.bot.deliverOutbox()).toMatchObject({ sent: 0, retried: 1 });
    expect(t.emulator.messages(ADMIN_CHANNEL)).toHaveLength(0);
    expect(await t.bot.deliverOutbox()).toMatchObject({ sent: 0, retried: 0 });
    const start = t.now();
    t.setNow(new Date(start.getTime() + 30_000));
    expect(await t.bot.deliverOutbox()).toMatchObject({ sent: 1 });
    expect(t.emulator.messages(ADMIN_CHANNEL)).toHaveLength(1);
    expect(await t.bot.deliverOutbox()).toMatchObject({ sent: 0 });
    t.setNow(start);
  });

  it('opens the modal from the Take over button of a list row', async () => {
    await t.command(ADMIN_A, 'list power bi pro');
    const row = t.emulator.ephemeralMessages(ADMIN_A).at(-1)!;
    const button = JSON.stringify(row.blocks).match(/"action_id":"takeover_open","text":\{[^}]*\},"value":"([0-9a-f-]{36})"/);
    expect(button).not.toBeNull();
    await t.clickEphemeral(ADMIN_A, 'takeover_open', button![1]);
    const modal = t.emulator.openViews(ADMIN_A).at(-1)!;
    expect(modal.callback_id).toBe('takeover_request');
    expect(modal.private_metadata).toBe(button![1]);
  });
});

describe.each(sqliteOnly)('centralize end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('shows Project Plan 3 as two licenses short, with no Assign button', async () => {
    const { replies } = await t.command(ADMIN_A, 'centralize Project Plan 3');
    const shown = JSON.stringify(replies[0]);
    expect(shown).toContain('*2 missing*');
    expect(shown).not.toContain('centralize_assign');
  });

  it('assigns central Power BI Pro licenses after confirmation and asks the purchasers to cancel', async () => {
    const { replies } = await t.command(ADMIN_A, 'centralize Power BI Pro');
    const shown = JSON.stringify(replies[0]);
    expect(shown).toContain('Centralize Power BI Pro');
    expect(shown).toContain('Assign central licenses?');
    const assigned = await t.clickEphemeral(ADMIN_A, 'centralize_assign');
    expect(JSON.stringify(assigned.replies)).toMatch(/Central Power BI Pro licenses assigned to \d+ people/);
    const after = JSON.stringify((await t.command(ADMIN_A, 'centralize Power BI Pro')).replies[0]);
    expect(after).toContain('Nobody needs a central license');

    const asked = await t.clickEphemeral(ADMIN_A, 'centralize_ask_purchasers');
    expect(JSON.stringify(asked.replies)).toMatch(/\d+ purchasers will get a direct message asking them to cancel/);
    await t.bot.deliverOutbox();
    const toMeera = t.emulator.messages(t.emulator.dmChannel(MEERA));
    expect(toMeera.length).toBeGreaterThan(0);
    expect(toMeera[0]!.text).toContain('IT asks you to cancel the subscription you bought');
    // Everyone now holds a central license: the message may say they keep the product.
    expect(toMeera[0]!.text).toMatch(
      /The \d+ people who use your Power BI Pro licenses also hold licenses paid by the organisation, so they keep Power BI Pro when you cancel/,
    );
  });
});

describe('take-over without an admins’ channel', () => {
  it('refuses to open the form and says to set ADMIN_CHANNEL_ID', async () => {
    const t = await startTestBot({ provider: 'sqlite', env: { ADMIN_CHANNEL_ID: '' } });
    try {
      const own = await t.database.prisma.subscription.findFirstOrThrow({ where: { status: 'Active', isSelfService: true } });
      const { replies } = await t.command(ADMIN_A, `takeover ${own.id}`);
      expect(JSON.stringify(replies)).toContain('set ADMIN_CHANNEL_ID');
      expect(t.emulator.openViews(ADMIN_A)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
