import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_A, ADMIN_B, ADMIN_CHANNEL, NON_ADMIN, startTestBot, textOf, useTestBot, type TestBot } from '../support/bot.js';
import { dialectProviders, sqliteOnly } from '../support/database.js';

describe.each(sqliteOnly)('the digest and App Home end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('posts the pending digest on /purchases digest, then says there is nothing new', async () => {
    const { replies } = await t.command(ADMIN_A, 'digest');
    expect(replies[0]!.response_type).toBe('ephemeral');
    expect(textOf(replies[0])).toContain('Posting the digest of 40 new purchases so far to <#C0ADMINS01> in');
    await t.bot.deliverOutbox();
    const posted = t.emulator.messages(ADMIN_CHANNEL);
    expect(posted.length).toBeGreaterThan(1);
    const all = posted.map((m) => JSON.stringify(m.blocks)).join();
    expect(all.split('"action_id":"subscription_show"').length - 1).toBe(40);
    expect(textOf(posted.at(-1)!.blocks)).toContain('40 purchases');

    const again = await t.command(ADMIN_A, 'digest');
    expect(textOf(again.replies[0])).toContain('Nothing new since 2026-11-25 09:00: no digest posted.');
    expect(t.emulator.messages(ADMIN_CHANNEL)).toHaveLength(posted.length);
  });

  it('opens a purchase of the digest with its Show button', async () => {
    const meera = await t.database.prisma.subscription.findFirstOrThrow({ where: { purchaser: { email: 'meera.desai@contoso.com' } } });
    await t.database.prisma.jobState.deleteMany({ where: { key: { startsWith: 'digest.' } } });
    t.setNow(new Date('2026-11-25T09:01:00Z'));
    await t.command(ADMIN_A, 'digest');
    await t.bot.deliverOutbox();
    const { replies } = await t.clickChannel(ADMIN_B, ADMIN_CHANNEL, 'subscription_show', meera.id);
    expect(textOf(replies[0])).toContain('Meera Desai');
    expect(replies[0]!.response_type).toBe('ephemeral');
  });

  it('shows admins the dashboard on App Home and everyone else an explanation without data', async () => {
    const home = await t.openHome(ADMIN_A);
    const json = textOf(home?.blocks);
    expect(json).toContain('Expiring in the next 30 days');
    expect(json).toContain('Monthly spend by product');
    expect(json).toContain('Power BI Pro');
    expect(json).toContain('Pending approvals* (0)');
    expect(json).toContain('takeover_open');

    const other = await t.openHome(NON_ADMIN);
    expect(textOf(other?.blocks)).toContain('Only admins can use it');
    expect(textOf(other?.blocks)).not.toContain('Power BI Pro');
  });

  it('posts the digest from the Home button and tells the admin there', async () => {
    await t.database.prisma.jobState.deleteMany({ where: { key: { startsWith: 'digest.' } } });
    t.setNow(new Date('2026-11-25T09:02:00Z'));
    await t.openHome(ADMIN_A);
    const result = await t.clickHome(ADMIN_A, 'home_digest_post', 'digest');
    expect(result.status).toBe(200);
    expect(textOf(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('Posting the digest of 40 new purchases');
    expect(textOf(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('last digest never');
    await t.bot.deliverOutbox();
    expect(t.emulator.messages(ADMIN_CHANNEL).length).toBeGreaterThan(1);
    // Once Slack has the digest, Home says so without being opened again.
    const home = textOf(t.emulator.homeView(ADMIN_A)?.blocks);
    expect(home).toContain('last digest 2026-11-25 09:02');
    expect(home).not.toContain('last digest never');
  });
});

describe.each(dialectProviders)('the scheduler in the running bot on %s', (provider) => {
  let t: TestBot;

  afterEach(async () => {
    await t.close();
  });

  it('posts the digest missed while the bot was down once at start-up, and refreshes the admins’ Home tabs', async () => {
    // Scheduled since the 20th; down over Wednesday's 09:00 (UTC) digest; back at 10:00.
    t = await startTestBot({
      provider,
      now: new Date('2026-11-25T10:00:00Z'),
      scheduler: true,
      prepare: async (database) => {
        const at = new Date('2026-11-20T00:00:00Z');
        await database.prisma.jobState.createMany({
          data: [
            { key: 'job.digest.since', value: at.toISOString(), updatedAt: at },
            { key: 'home.viewers', value: JSON.stringify([ADMIN_A, NON_ADMIN]), updatedAt: at },
          ],
        });
      },
    });
    await t.bot.deliverOutbox();
    expect(t.emulator.messages(ADMIN_CHANNEL).length).toBeGreaterThan(1);
    const runs = await t.database.prisma.jobRun.findMany({ where: { job: 'digest' }, select: { job: true, slot: true, status: true } });
    expect(runs).toEqual([{ job: 'digest', slot: new Date('2026-11-25T09:00:00Z'), status: 'done' }]);
    expect(textOf(t.emulator.homeView(ADMIN_A)?.blocks)).toContain('Expiring in the next 30 days');
    expect(t.emulator.homeView(NON_ADMIN)).toBeUndefined();
  });
});
