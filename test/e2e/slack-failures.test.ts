import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { ADMIN_A, replyText, useTestBot } from '../support/bot.js';

const POWER_BI_PRO = 'CFQ7TTC0H9MP';

describe('Slack failing after the bot acknowledged a request', () => {
  const t = useTestBot({ provider: 'sqlite', env: { SLACK_HTTP_TIMEOUT_MS: '1000' } });

  async function subscription() {
    return t.database.prisma.subscription.findFirstOrThrow({ where: { status: 'Active', isSelfService: true, productId: POWER_BI_PRO }, orderBy: { id: 'asc' } });
  }

  it('tells the admin at once when Slack answers 500 to opening the take-over form', async () => {
    t.emulator.failNext('views.open', { status: 500 }, 3);
    const started = Date.now();
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(replyText(replies)).toContain('The take-over form could not be opened: Slack answered with an error (HTTP 500)');
  });

  it('tells the admin that the form came too late for Slack (expired_trigger_id) and to click again', async () => {
    t.emulator.failNext('views.open', { ok: false, error: 'expired_trigger_id' });
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(replyText(replies)).toContain('expired_trigger_id');
    expect(replyText(replies)).toContain('Click the button or run the command again');
  });

  it('tells the admin when Slack does not answer at all, after the call deadline', async () => {
    t.emulator.failNext('views.open', { hang: true });
    const started = Date.now();
    const { replies } = await t.command(ADMIN_A, `takeover ${(await subscription()).id.slice(0, 8)}`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(replyText(replies)).toContain('The take-over form could not be opened: Slack did not answer in time');
  });

  it('tells the admin when Slack refuses the CSV upload', async () => {
    t.emulator.failNext('upload', { status: 503 });
    const { replies } = await t.command(ADMIN_A, 'export Power BI Pro');
    expect(replyText(replies)).toContain('The CSV could not be uploaded: Slack answered HTTP 503');
  });

  it('says on the Home tab that refreshing it failed, since a Home tab has no thread to answer in', async () => {
    await t.openHome(ADMIN_A);
    t.emulator.failNext('views.publish', { status: 500 });
    await t.clickHome(ADMIN_A, ACTIONS.homeRefresh);
    expect(JSON.stringify(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('The dashboard could not be refreshed: A call to Slack failed: Slack answered with an error (HTTP 500)');
  });
});
