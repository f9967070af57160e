/**
 * The connector end to end: the real bot over signed HTTP, with TENANT=microsoft against the
 * in-process Microsoft fake (https: token authority, licensing, Graph with the demo tenant).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, demoGraphTenant, graphFailures, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import type { EmulatedMessage } from '../../src/devkit/slack-emulator/index.js';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, NON_ADMIN, textOf, startTestBot, useTestBot, type TestBot } from '../support/bot.js';
import { microsoftEnv } from '../support/microsoft.js';
import { buildBlockActionsPayload, buildViewSubmissionPayload, fileShareEvent, sendEvent } from '../support/slack-requests.js';

const NOW = new Date('2026-11-25T09:00:00Z');
const SUB = (n: number) => `5e1f0000-0000-4000-8000-00000000000${n}`;
const VISIO_OF_ANA = SUB(3);
const POWER_BI_OF_MEERA = SUB(2);

/** No retries and no pause between users: the fake answers at once, and failures are the test's. */
const FAST = { MS_MAX_RETRIES: '0', MS_LICENSE_PACE_MS: '0' };

describe('the record from Microsoft 365, end to end', () => {
  let fake: FakeMicrosoft;
  let t: TestBot;

  beforeAll(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), graphPageSize: 3, now: () => NOW });
    t = await startTestBot({ provider: 'sqlite', demo: false, now: NOW, env: microsoftEnv(fake, FAST), tenantSyncAtStart: true });
    await t.bot.startupTenantSync;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function approvalMessage(requestId: string): Promise<EmulatedMessage> {
    await t.bot.deliverOutbox();
    const message = t.emulator.messages(ADMIN_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(`request \`${requestId.slice(0, 8)}\``));
    if (!message) throw new Error(`no approval message for ${requestId}`);
    return message;
  }

  async function click(user: string, actionId: string, value: string, message: EmulatedMessage) {
    const block = (message.blocks as Array<{ block_id?: string; elements?: Array<{ action_id?: string }> }>).find((b) =>
      b.elements?.some((e) => e.action_id === actionId),
    );
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: user,
      action: { action_id: actionId, value, ...(block?.block_id ? { block_id: block.block_id } : {}) },
      message: { channel: ADMIN_CHANNEL, ts: message.ts },
    });
    const before = t.emulator.responseUrlPosts.length;
    expect((await t.interact(payload)).status).toBe(200);
    return t.emulator.responseUrlPosts.slice(before).map((p) => textOf(p.body));
  }

  it('fills the record at start, and /purchases sync says what it found, then that nothing changed', async () => {
    expect(await t.database.prisma.subscription.count()).toBe(5);
    fake.graph.users.get(DEMO_USERS.kim.id)!.displayName = 'Kim Larsen-Berg';

    const changed = await t.command(ADMIN_A, 'sync');
    expect(textOf(changed.replies[0])).toContain('Synced from Microsoft 365');
    expect(textOf(changed.replies[0])).toContain('*Changed:* 1 person — Kim Larsen-Berg');

    const again = await t.command(ADMIN_A, 'sync');
    expect(textOf(again.replies[0])).toContain('Nothing changed: the record already matched Microsoft 365.');

    const home = await t.openHome(ADMIN_A);
    expect(JSON.stringify(home?.blocks)).toContain('*Tenant sync:* 2026-11-25 09:00, nothing changed');
  });

  it('says why a sync could not run: a 403 names the Graph permission to grant', async () => {
    fake.graph.failNext('GET', '/v1.0/users', graphFailures.forbidden());

    const { replies } = await t.command(ADMIN_A, 'sync');

    expect(textOf(replies[0])).toContain('The sync from Microsoft 365 could not run, and the record is as it was');
    expect(textOf(replies[0])).toContain('User.Read.All');
  });

  it('keeps an admin’s mark through later syncs, and show names who decided and whether holders are attributed', async () => {
    const marked = await t.command(ADMIN_A, `mark ${POWER_BI_OF_MEERA} central`);
    expect(textOf(marked.replies[0])).toContain('is now marked *central*');

    await t.command(ADMIN_B, 'sync');

    const shown = textOf((await t.command(ADMIN_B, `show ${POWER_BI_OF_MEERA}`)).replies[0]);
    expect(shown).toContain('(central)');
    expect(shown).toContain(`marked central by <@${ADMIN_A}> on 2026-11-25`);
    expect(shown).toContain('not attributed: Microsoft 365 assigns licenses per product, and 3 people hold this one across its 2 subscriptions');
    const visio = textOf((await t.command(ADMIN_B, `show ${VISIO_OF_ANA}`)).replies[0]);
    expect(visio).toContain('self-service, purchaser from Graph owner');
    expect(visio).toContain('attributed to this subscription: it is the only one of its license');
    const licenses = textOf((await t.command(ADMIN_B, 'licenses Power BI Pro')).replies[0]);
    expect(licenses).toContain('Not attributed to a subscription');
  });

  it('cancels on the tenant after approval, asks for the admin center, and Marked as cancelled finishes it once', async () => {
    const { replies } = await t.command(ADMIN_A, `takeover ${VISIO_OF_ANA}`);
    expect(replies).toEqual([]);
    const view = t.emulator.openViews(ADMIN_A).at(-1)!;
    const submitted = await t.interact(
      buildViewSubmissionPayload(t.emulator, {
        user_id: ADMIN_A,
        view,
        values: { takeover_kind: { kind: 'cancel' }, takeover_reason: { reason: 'No longer needed' } },
      }),
    );
    expect(submitted.status).toBe(200);
    const request = await t.database.prisma.takeoverRequest.findFirstOrThrow({ where: { subscriptionId: VISIO_OF_ANA } });

    await click(ADMIN_B, 'takeover_approve', request.id, await approvalMessage(request.id));

    const awaiting = await approvalMessage(request.id);
    expect(JSON.stringify(awaiting.blocks)).toContain('waiting for the admin center');
    expect(JSON.stringify(awaiting.blocks)).toContain('License removed from 2 users: Ana Lopez, Tom Berg');
    expect(fake.graph.users.get(DEMO_USERS.tom.id)!.assignedLicenses).toEqual([]);
    expect(t.emulator.messages(t.emulator.dmChannel(ADMIN_A)).some((m) => m.text.includes('Cancel the subscription in the Microsoft 365 admin center'))).toBe(
      true,
    );

    const forged = await click(ADMIN_A, 'takeover_marked_cancelled', 'not-a-request', awaiting);
    expect(forged.join()).toContain('This button does not carry a take-over request id the bot can use');
    expect((await t.database.prisma.takeoverRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('AWAITING_ADMIN_CENTER');

    expect(await click(ADMIN_A, 'takeover_marked_cancelled', request.id, awaiting)).toEqual([]);
    const second = await click(ADMIN_B, 'takeover_marked_cancelled', request.id, awaiting);
    expect(second.join()).toContain(`already finished: <@${ADMIN_A}> marked it cancelled`);

    const done = await approvalMessage(request.id);
    expect(JSON.stringify(done.blocks)).toContain(`<@${ADMIN_A}> marked it cancelled in the admin center`);
    expect(JSON.stringify(done.blocks)).not.toContain('takeover_marked_cancelled');
    expect(await t.database.prisma.subscription.findUniqueOrThrow({ where: { id: VISIO_OF_ANA } })).toMatchObject({ status: 'Deleted', cancelledBy: ADMIN_A });
  });

  it('says honestly that centralizing assigns nothing in Microsoft 365', async () => {
    const { replies } = await t.command(ADMIN_A, 'centralize Power BI Pro');
    expect(textOf(replies[0])).toContain('Nothing to assign in Microsoft 365');
    expect(textOf(replies[0])).not.toContain('centralize_assign');
  });

  it('asks purchasers to cancel saying truthfully what happens to their users in Microsoft 365', async () => {
    await t.command(ADMIN_A, 'centralize Project Plan 3');

    const { replies } = await t.clickEphemeral(ADMIN_A, 'centralize_ask_purchasers');

    expect(textOf(replies[0])).toContain('1 purchaser will get a direct message asking them to cancel');
    const ask = await t.database.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: `centralize:${SUB(5)}:ask:` } } });
    const text = JSON.parse(ask.payload).text as string;
    expect(text).toContain('In Microsoft 365 a license belongs to the product');
    expect(text).toContain('the organisation has no Project Plan 3 subscription of its own: the people who use yours lose Project Plan 3 when it is cancelled');
  });
});

describe('importing a CSV uploaded to the app’s DM', () => {
  const t = useTestBot({ provider: 'sqlite' });
  const badRows = readFileSync(new URL('../fixtures/import/subscriptions-bad-rows.csv', import.meta.url));

  it('offers to import a CSV shared in the DM, and reports the refused rows by line', async () => {
    const upload = t.emulator.uploadAsUser(ADMIN_A, { name: 'subscriptions.csv', content: badRows });
    expect((await sendEvent(t.target, fileShareEvent(upload))).status).toBe(200);

    const offer = t.emulator.messages(upload.file.channel!).at(-1)!;
    expect(offer.text).toContain('Got `subscriptions.csv`');
    const { replies } = await t.clickChannel(ADMIN_A, upload.file.channel!, 'import_file', upload.file.id);

    const report = textOf(replies[0]);
    expect(report).toContain('subscriptions.csv (subscriptions): 1 row accepted, 6 refused.');
    expect(report).toContain('line 2: \\"Licenses\\" must be a whole number of licenses such as 5, not \\"five\\"');
    expect(t.emulator.callsTo('download')).toHaveLength(1);
  });

  it('imports the newest CSV uploaded with /purchases import, and the same file again changes nothing', async () => {
    t.emulator.uploadAsUser(ADMIN_A, { name: 'subscriptions.csv', content: badRows });

    const { replies } = await t.command(ADMIN_A, 'import');

    expect(textOf(replies[0])).toContain('Nothing changed in the record: it already held all of that.');
    expect(textOf(replies[0])).toContain('The same file was imported before');
  });

  it('explains how to upload when there is no CSV, and refuses a file from someone who is not an admin', async () => {
    const none = await t.command(ADMIN_B, 'import');
    expect(textOf(none.replies[0])).toContain('A slash command cannot carry a file');

    const upload = t.emulator.uploadAsUser(NON_ADMIN, { name: 'mine.csv', content: badRows });
    await sendEvent(t.target, fileShareEvent(upload));
    expect(t.emulator.messages(upload.file.channel!).at(-1)!.text).toContain('only purchase-governance admins');
    expect(await t.database.prisma.auditEvent.count({ where: { actorId: NON_ADMIN, outcome: 'denied' } })).toBe(1);
  });

  it('refuses a file shared in an event that names no valid user, audited, without reading the file', async () => {
    const upload = t.emulator.uploadAsUser(ADMIN_A, { name: 'subscriptions.csv', content: badRows });

    expect((await sendEvent(t.target, { ...fileShareEvent(upload), user: 'not a user' })).status).toBe(200);

    expect(t.emulator.messages(upload.file.channel!).at(-1)!.text).toContain('did not carry exactly one valid Slack user id');
    expect(await t.database.prisma.auditEvent.count({ where: { actorId: 'unidentified', subjectType: 'event', outcome: 'denied' } })).toBe(1);
    expect(t.emulator.calls.filter((call) => call.method === 'files.info')).toEqual([]);
  });

  it('says there is nothing to sync with TENANT=local, and why', async () => {
    const { replies } = await t.command(ADMIN_A, 'sync');
    expect(textOf(replies[0])).toContain('Nothing to sync: with `TENANT=local`');
    // Uploads are read in the app's Messages tab only: the reply says where, wherever it was asked.
    expect(textOf(replies[0])).toContain('upload one in this app’s Messages tab (not a channel)');
  });
});

describe('a Microsoft tenant that refuses to be read at start', () => {
  it('logs it and keeps the bot running', async () => {
    const fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW) });
    fake.graph.failAlways('GET', '/v1.0/subscribedSkus', graphFailures.forbidden());
    const t = await startTestBot({ provider: 'sqlite', demo: false, now: NOW, env: microsoftEnv(fake, FAST), tenantSyncAtStart: true });
    try {
      await t.bot.startupTenantSync;
      expect(t.logger.lines.some((line) => line.startsWith('error The tenant sync could not read Microsoft 365 at start'))).toBe(true);
      const home = await t.openHome(ADMIN_A);
      expect(JSON.stringify(home?.blocks)).toContain('Organization.Read.All');
    } finally {
      await t.close();
      await fake.close();
    }
  });
});
