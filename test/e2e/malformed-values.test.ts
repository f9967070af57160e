import { describe, expect, it } from 'vitest';
import type { EmulatedView } from '../../src/devkit/slack-emulator/index.js';
import { ACTIONS, TAKEOVER_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, textOf, useTestBot } from '../support/bot.js';
import {
  buildBlockActionsPayload,
  buildViewSubmissionPayload,
  fileShareEvent,
  sendEvent,
  sendInteraction,
  type InputValue,
} from '../support/slack-requests.js';

const POWER_BI_PRO = 'CFQ7TTC0H9MP';
const now = () => Math.floor(Date.now() / 1000);

describe('values from buttons, menus and forms that the bot did not make', () => {
  const t = useTestBot({ provider: 'sqlite' });

  /** Clicks `actionId` on ADMIN_A's newest ephemeral message that has it, with the action changed by `forge`. */
  async function clickForged(actionId: string, forge: (action: Record<string, unknown>) => void) {
    const message = [...t.emulator.ephemeralMessages(ADMIN_A)].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`));
    if (!message) throw new Error(`no message with ${actionId}`);
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: ADMIN_A,
      action: { action_id: actionId },
      message: { channel: message.channel, ts: message.message_ts, ephemeral: true },
    });
    forge((payload.actions as Array<Record<string, unknown>>)[0]!);
    const before = t.emulator.responseUrlPosts.length;
    await sendInteraction(t.target, payload);
    return textOf(t.emulator.responseUrlPosts.slice(before).map((p) => p.body));
  }

  async function selfService() {
    return t.database.prisma.subscription.findFirstOrThrow({
      where: { status: 'Active', isSelfService: true, productId: POWER_BI_PRO, assignments: { some: { removedAt: null } } },
      orderBy: { id: 'asc' },
    });
  }

  it('says which button value is wrong instead of "Something went wrong"', async () => {
    await t.command(ADMIN_A, 'list');
    const show = await clickForged(ACTIONS.showSubscription, (a) => (a.value = 'not-a-uuid'));
    expect(show).toContain('This button does not carry a subscription id the bot can use');
    expect(show).not.toContain('Something went wrong');
    const takeover = await clickForged(ACTIONS.takeover, (a) => (a.value = '../../etc'));
    expect(takeover).toContain('does not carry a subscription id');
  });

  it('says so for a forged or over-long page cursor', async () => {
    await t.command(ADMIN_A, 'list status:all');
    expect(await clickForged(ACTIONS.listNext, (a) => (a.value = Buffer.from('{"v":1,"f":{}}').toString('base64url')))).toContain(
      'That page link is no longer valid',
    );
    expect(await clickForged(ACTIONS.listNext, (a) => (a.value = 'x'.repeat(3000)))).toContain('does not carry a page of the list');
  });

  it('says so for a policy value the menu never offered', async () => {
    await t.command(ADMIN_A, 'policy');
    const reply = await clickForged(
      ACTIONS.policySelect,
      (a) => (a.selected_option = { text: { type: 'plain_text', text: 'x' }, value: `${POWER_BI_PRO}|Sometimes` }),
    );
    expect(reply).toContain('This menu sent a choice that is not a product with a policy value');
    await t.command(ADMIN_A, 'policy all disabled');
    expect(await clickForged(ACTIONS.policyAllConfirm, (a) => (a.value = 'Sometimes'))).toContain('does not carry a policy value');
    expect(await t.database.prisma.policyChange.count()).toBe(0);
  });

  it('says so for an approval button without a request id', async () => {
    const subscription = await selfService();
    await t.command(ADMIN_A, `takeover ${subscription.id.slice(0, 8)}`);
    const view = t.emulator.openViews(ADMIN_A).at(-1)!;
    await sendInteraction(
      t.target,
      buildViewSubmissionPayload(t.emulator, {
        user_id: ADMIN_A,
        view,
        values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
      }),
    );
    await t.bot.deliverOutbox();
    const message = t.emulator.messages(ADMIN_CHANNEL).at(-1)!;
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: ADMIN_B,
      action: { action_id: TAKEOVER_ACTIONS.approve, value: '1234' },
      message: { channel: ADMIN_CHANNEL, ts: message.ts },
    });
    const before = t.emulator.responseUrlPosts.length;
    await sendInteraction(t.target, payload);
    expect(textOf(t.emulator.responseUrlPosts.slice(before).map((p) => p.body))).toContain('does not carry a take-over request id');
  });

  it('says so for an Import this file button that carries no Slack file id, and reads no file', async () => {
    const upload = t.emulator.uploadAsUser(ADMIN_A, { name: 'subscriptions.csv', content: Buffer.from('Subscription id,Product\n') });
    await sendEvent(t.target, fileShareEvent(upload));
    const offer = t.emulator.messages(upload.file.channel!).at(-1)!;
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: ADMIN_A,
      action: { action_id: ACTIONS.importFile, value: '../secrets.csv' },
      message: { channel: upload.file.channel!, ts: offer.ts },
    });
    const before = t.emulator.responseUrlPosts.length;
    await sendInteraction(t.target, payload);
    expect(textOf(t.emulator.responseUrlPosts.slice(before).map((p) => p.body))).toContain('This button does not carry a Slack file id the bot can use');
    expect(t.emulator.calls.filter((call) => call.method === 'files.info')).toEqual([]);
    expect(await t.database.prisma.importRun.count()).toBe(0);
  });

  describe('forms', () => {
    async function openTakeover(): Promise<EmulatedView> {
      const subscription = await t.database.prisma.subscription.findFirstOrThrow({
        where: {
          status: 'Active',
          isSelfService: true,
          productId: POWER_BI_PRO,
          id: { notIn: (await t.database.prisma.takeoverRequest.findMany()).map((r) => r.subscriptionId) },
        },
        orderBy: { id: 'desc' },
      });
      await t.command(ADMIN_A, `takeover ${subscription.id.slice(0, 8)}`);
      return t.emulator.openViews(ADMIN_A).at(-1)!;
    }

    async function submit(view: EmulatedView, values: Record<string, Record<string, InputValue>>, change?: (payload: Record<string, unknown>) => void) {
      const payload = buildViewSubmissionPayload(t.emulator, { user_id: ADMIN_A, view, values });
      change?.(payload);
      return (await sendInteraction(t.target, payload)).json as { errors?: Record<string, string> } | undefined;
    }

    it('shows a forged private_metadata or choice on the field it concerns', async () => {
      const view = await openTakeover();
      const metadata = await submit(
        view,
        { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
        (p) => ((p.view as Record<string, unknown>).private_metadata = 'DROP TABLE'),
      );
      expect(metadata?.errors?.takeover_kind).toContain('This form does not name a subscription the bot knows');
      const kind = await submit(view, { takeover_kind: { kind: { selected_option: { value: 'steal' } } } });
      expect(kind?.errors?.takeover_kind).toContain('the form sent a choice the bot does not offer');
      const target = await submit(view, { takeover_kind: { kind: 'move' }, takeover_target: { target: { selected_option: { value: 'elsewhere' } } } });
      expect(target?.errors?.takeover_target).toContain('not one the form offered');
      expect(await t.database.prisma.takeoverRequest.count({ where: { requestedBy: ADMIN_A, subscriptionId: view.private_metadata } })).toBe(0);
    });

    it('shows a reject form without a request id as such', async () => {
      const view = await openTakeover();
      await submit(view, { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } });
      await t.bot.deliverOutbox();
      const message = t.emulator.messages(ADMIN_CHANNEL).at(-1)!;
      await sendInteraction(
        t.target,
        buildBlockActionsPayload(t.emulator, {
          user_id: ADMIN_B,
          action: { action_id: TAKEOVER_ACTIONS.reject },
          message: { channel: ADMIN_CHANNEL, ts: message.ts },
        }),
      );
      const modal = t.emulator.openViews(ADMIN_B).at(-1)!;
      const payload = buildViewSubmissionPayload(t.emulator, { user_id: ADMIN_B, view: modal, values: {} });
      (payload.view as Record<string, unknown>).private_metadata = 'nope';
      const result = (await sendInteraction(t.target, payload)).json as { errors?: Record<string, string> };
      expect(result.errors?.reject_reason).toContain('This form does not name a take-over request the bot knows');
    });

    it('creates one request from a submission delivered again after it was rejected', async () => {
      const view = await openTakeover();
      const payload = buildViewSubmissionPayload(t.emulator, {
        user_id: ADMIN_A,
        view,
        values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
      });
      await sendInteraction(t.target, payload);
      const request = await t.database.prisma.takeoverRequest.findFirstOrThrow({ where: { subscriptionId: view.private_metadata } });
      await t.database.prisma.takeoverRequest.update({ where: { id: request.id }, data: { status: 'REJECTED', decidedBy: ADMIN_B, decidedAt: t.now() } });
      const replayed = await sendInteraction(t.target, payload, { timestamp: now() - 120 });
      expect(replayed.status).toBe(200);
      expect(await t.database.prisma.takeoverRequest.count({ where: { subscriptionId: view.private_metadata } })).toBe(1);
    });
  });
});
