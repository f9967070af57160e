import { describe, expect, it } from 'vitest';
import type { EmulatedView } from '../../src/devkit/slack-emulator/index.js';
import { TAKEOVER_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, textOf, useTestBot } from '../support/bot.js';
import { buildViewSubmissionPayload } from '../support/slack-requests.js';

const POWER_BI_PRO = 'CFQ7TTC0H9MP';

describe('take-over requests nobody can approve, and withdrawing them', () => {
  const t = useTestBot({ provider: 'sqlite' });

  async function freeSubscription() {
    const taken = (await t.database.prisma.takeoverRequest.findMany({ select: { subscriptionId: true } })).map((r) => r.subscriptionId);
    return t.database.prisma.subscription.findFirstOrThrow({
      where: { status: 'Active', isSelfService: true, productId: POWER_BI_PRO, id: { notIn: taken } },
      orderBy: { id: 'asc' },
    });
  }

  async function ask(user: string, subscriptionId: string): Promise<{ errors?: Record<string, string> } | undefined> {
    await t.command(user, `takeover ${subscriptionId.slice(0, 8)}`);
    const view: EmulatedView = t.emulator.openViews(user).at(-1)!;
    const result = await t.interact(
      buildViewSubmissionPayload(t.emulator, {
        user_id: user,
        view,
        values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
      }),
    );
    return result.json as { errors?: Record<string, string> } | undefined;
  }

  const requestsOf = (subscriptionId: string) => t.database.prisma.takeoverRequest.findMany({ where: { subscriptionId }, orderBy: { requestedAt: 'asc' } });
  const dmsTo = (user: string) =>
    t.emulator
      .messages(t.emulator.dmChannel(user))
      .map((m) => m.text)
      .join('\n');

  it('tells the requester why its approval message was refused, shows it on App Home, and lets a new request replace it', async () => {
    const subscription = await freeSubscription();
    expect(await ask(ADMIN_A, subscription.id)).toBeUndefined();
    const [request] = await requestsOf(subscription.id);
    t.emulator.failNext('chat.postMessage', { ok: false, error: 'not_in_channel' });
    await t.bot.deliverOutbox();
    await t.bot.deliverOutbox();
    expect(dmsTo(ADMIN_A)).toContain(`Your take-over request \`${request!.id.slice(0, 8)}\``);
    expect(dmsTo(ADMIN_A)).toContain('the bot is not a member of that conversation (not_in_channel)');
    expect(dmsTo(ADMIN_A)).toContain(`/purchases withdraw ${request!.id.slice(0, 8)}`);
    expect(
      await t.database.prisma.auditEvent.count({ where: { action: 'takeover.approval.undelivered', subjectId: request!.id, detail: 'not_in_channel' } }),
    ).toBe(1);

    const home = JSON.stringify((await t.openHome(ADMIN_B))?.blocks);
    expect(home).toContain('Its approval message could not be posted (not_in_channel)');
    expect(home).toContain(TAKEOVER_ACTIONS.withdraw);

    expect(await ask(ADMIN_A, subscription.id)).toBeUndefined();
    const all = await requestsOf(subscription.id);
    expect(all.find((r) => r.id === request!.id)).toMatchObject({ status: 'WITHDRAWN', decidedBy: ADMIN_A });
    expect(all.filter((r) => r.id !== request!.id)).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    expect(await t.database.prisma.auditEvent.findFirst({ where: { action: 'takeover.withdrawn', subjectId: request!.id } })).toMatchObject({
      detail: expect.stringContaining('never delivered'),
    });
  });

  it('lets another admin withdraw a request by command: the message says so, the requester is told, approving is refused', async () => {
    const subscription = await freeSubscription();
    await ask(ADMIN_A, subscription.id);
    await t.bot.deliverOutbox();
    const [request] = await requestsOf(subscription.id);
    const { replies } = await t.command(ADMIN_B, `withdraw ${request!.id.slice(0, 8)}`);
    expect(textOf(replies)).toContain(`Withdrawn: the take-over request \`${request!.id.slice(0, 8)}\``);
    await t.bot.deliverOutbox();
    const message = t.emulator.messages(ADMIN_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(request!.id.slice(0, 8)))!;
    expect(JSON.stringify(message.blocks)).toContain(`*Withdrawn* by <@${ADMIN_B}>`);
    expect(JSON.stringify(message.blocks)).not.toContain(TAKEOVER_ACTIONS.approve);
    expect(dmsTo(ADMIN_A)).toContain(`<@${ADMIN_B}> withdrew your take-over request`);
    expect(await t.database.prisma.auditEvent.count({ where: { action: 'takeover.withdrawn', subjectId: request!.id, actorId: ADMIN_B } })).toBe(1);
    const again = await t.command(ADMIN_A, `withdraw ${request!.id}`);
    expect(textOf(again.replies)).toContain(`This request was withdrawn by <@${ADMIN_B}>`);
  });

  it('withdraws from App Home, and says so at the top of the tab', async () => {
    const subscription = await freeSubscription();
    expect(await ask(ADMIN_A, subscription.id)).toBeUndefined();
    await t.bot.deliverOutbox();
    const [request] = await requestsOf(subscription.id);
    await t.openHome(ADMIN_A);
    await t.clickHome(ADMIN_A, TAKEOVER_ACTIONS.withdraw, request!.id);
    expect((await requestsOf(subscription.id))[0]).toMatchObject({ status: 'WITHDRAWN', decidedBy: ADMIN_A });
    expect(JSON.stringify(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('Withdrawn: the take-over request');
  });

  it('says which request id it does not know', async () => {
    const { replies } = await t.command(ADMIN_A, 'withdraw abcdef12');
    expect(textOf(replies)).toContain('No take-over request has that id');
  });
});
