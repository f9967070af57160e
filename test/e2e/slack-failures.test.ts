import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, textOf, useTestBot } from '../support/bot.js';
import { buildViewSubmissionPayload } from '../support/slack-requests.js';

const POWER_BI_PRO = 'CFQ7TTC0H9MP';

describe('Slack failing after the bot acknowledged a request', () => {
  const t = useTestBot({ provider: 'sqlite', env: { SLACK_HTTP_TIMEOUT_MS: '1000' } });

  async function subscription() {
    return t.database.prisma.subscription.findFirstOrThrow({
      where: { status: 'Active', isSelfService: true, productId: POWER_BI_PRO },
      orderBy: { id: 'asc' },
    });
  }

  it('tells the admin at once when Slack answers 500 to opening the take-over form', async () => {
    t.emulator.failNext('views.open', { status: 500 }, 3);
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(textOf(replies)).toContain('The take-over form could not be opened: Slack answered with an error (HTTP 500)');
  });

  it('tells the admin that the form came too late for Slack (expired_trigger_id) and to click again', async () => {
    t.emulator.failNext('views.open', { ok: false, error: 'expired_trigger_id' });
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(textOf(replies)).toContain('expired_trigger_id');
    expect(textOf(replies)).toContain('Click the button or run the command again');
  });

  it('tells the admin when Slack does not answer at all, after the call deadline', async () => {
    t.emulator.failNext('views.open', { hang: true });
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(textOf(replies)).toContain('The take-over form could not be opened: Slack did not answer in time');
  });

  it('tells the admin when Slack refuses the CSV upload', async () => {
    t.emulator.failNext('upload', { status: 503 });
    const { replies } = await t.command(ADMIN_A, 'export Power BI Pro');
    expect(textOf(replies)).toContain('The CSV could not be uploaded: Slack answered HTTP 503');
  });

  it('says on the Home tab that refreshing it failed, since a Home tab has no thread to answer in', async () => {
    await t.openHome(ADMIN_A);
    t.emulator.failNext('views.publish', { status: 500 });
    await t.clickHome(ADMIN_A, ACTIONS.homeRefresh);
    expect(JSON.stringify(t.emulator.homeView(ADMIN_A)?.blocks)).toContain(
      'The dashboard could not be refreshed: A call to Slack failed: Slack answered with an error (HTTP 500)',
    );
  });

  it('tells the admin by direct message when the announcement of their policy change is refused (not_in_channel)', async () => {
    const { replies } = await t.command(ADMIN_A, 'policy Visio Plan 1 disabled');
    expect(textOf(replies)).toContain('Visio Plan 1');
    t.emulator.failNext('chat.postMessage', { ok: false, error: 'not_in_channel' });
    await t.bot.deliverOutbox();
    await t.bot.deliverOutbox();
    const told = t.emulator.messages(t.emulator.dmChannel(ADMIN_A)).at(-1);
    expect(told?.text).toContain(`could not be delivered to <#${ADMIN_CHANNEL}>: the bot is not a member of that conversation (not_in_channel)`);
    expect(JSON.stringify(told?.blocks)).toContain('Visio Plan 1');
  });

  it('tells the approver when the approval message cannot be updated with the outcome', async () => {
    const target = await subscription();
    await t.command(ADMIN_A, `takeover ${target.id.slice(0, 8)}`);
    const view = t.emulator.openViews(ADMIN_A).at(-1)!;
    await t.interact(
      buildViewSubmissionPayload(t.emulator, {
        user_id: ADMIN_A,
        view,
        values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
      }),
    );
    await t.bot.deliverOutbox();
    await t.clickChannel(
      ADMIN_B,
      ADMIN_CHANNEL,
      'takeover_approve',
      (await t.database.prisma.takeoverRequest.findFirstOrThrow({ where: { subscriptionId: target.id } })).id,
    );
    t.emulator.failNext('chat.update', { ok: false, error: 'message_not_found' });
    await t.bot.deliverOutbox();
    await t.bot.deliverOutbox();
    const told = t.emulator
      .messages(t.emulator.dmChannel(ADMIN_B))
      .map((m) => m.text)
      .join('\n');
    expect(told).toContain(`could not be delivered to its message in <#${ADMIN_CHANNEL}>: the message is gone or can no longer be changed (message_not_found)`);
  });

  it('shows on App Home that a scheduled post was refused, since nobody asked for it to be told', async () => {
    await t.database.prisma.outboxMessage.deleteMany();
    // What a scheduled digest stores: a post nobody is named to be told about.
    await t.database.prisma.outboxMessage.create({
      data: {
        id: 'b6d0c1e2-0000-4000-8000-000000000001',
        kind: 'post',
        dedupeKey: 'digest:test',
        payload: JSON.stringify({ channel: ADMIN_CHANNEL, text: 'Digest' }),
        status: 'pending',
        nextAttemptAt: t.now(),
        createdAt: t.now(),
      },
    });
    t.emulator.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await t.bot.deliverOutbox();
    const home = JSON.stringify((await t.openHome(ADMIN_A))?.blocks);
    expect(home).toContain('1 message from the bot could not be delivered in the last 7 days (latest reason: channel_not_found)');
  });
});
