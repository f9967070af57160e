/**
 * The savings finder on a record synced from Microsoft 365: an account disabled in Entra ID
 * (accountEnabled=false, read by the sync) that still holds a self-service license is found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, demoGraphTenant, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { ADMIN_A, startTestBot, textOf, type TestBot } from '../support/bot.js';
import { microsoftEnv } from '../support/microsoft.js';

const NOW = new Date('2026-11-25T09:00:00Z');

describe('the savings finder on a record synced from Microsoft 365', () => {
  let fake: FakeMicrosoft;
  let t: TestBot;

  beforeAll(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), now: () => NOW });
    t = await startTestBot({ provider: 'sqlite', demo: false, now: NOW, env: microsoftEnv(fake, { MS_MAX_RETRIES: '0' }), tenantSyncAtStart: true });
    await t.bot.startupTenantSync;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('finds the self-service license of an account disabled since the last sync, its price unknown, with the list to export', async () => {
    const before = await t.command(ADMIN_A, 'savings');
    expect(textOf(before.replies[0])).not.toContain('Tom Berg');

    fake.graph.users.get(DEMO_USERS.tom.id)!.accountEnabled = false;
    await t.command(ADMIN_A, 'sync');
    const { replies } = await t.command(ADMIN_A, 'savings');
    const text = textOf(replies[0]);
    expect(text).toContain('*Visio Plan 2* — 1 license held by disabled or deleted accounts (Tom Berg) in `5e1f0000` (Ana Lopez) · _price unknown_');
    expect(text).toContain('"action_id":"subscription_export"');
    // Microsoft 365 pools a product's seats: Power BI Pro, with two subscriptions, has no per-subscription free seats to report.
    expect(text).not.toMatch(/Power BI Pro\* — \d+ seats? of/);
  });
});
