/**
 * A listener callback called directly, as Bolt would call it, with a fake ack and respond and
 * a real database: no HTTP, no signature, no app.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/client.js';
import { createAdminDirectory } from '../../../src/slack/admins.js';
import { ACTIONS } from '../../../src/slack/blocks/action-ids.js';
import { slackNotices } from '../../../src/slack/blocks/notices.js';
import type { SlackDeps } from '../../../src/slack/deps.js';
import { showSubscriptionCallback } from '../../../src/slack/listeners/actions/show-subscription.js';
import type { ActionArgs } from '../../../src/slack/listeners/args.js';
import { createLocalPolicyTenant } from '../../../src/tenant/local/policy-tenant.js';
import { createLocalSubscriptionTenant } from '../../../src/tenant/local/subscription-tenant.js';
import { recordingLogger } from '../../support/bot.js';
import { aPerson, aProduct, aSubscription } from '../../support/builders.js';
import { createTestDatabase } from '../../support/database.js';

const ADMIN = 'U0ADMIN0001';
const now = new Date('2026-11-25T09:00:00Z');

describe('the Show button’s callback', () => {
  let database: Database;
  let deps: SlackDeps;
  const logger = recordingLogger();

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    const loaded = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', ADMIN_USER_IDS: ADMIN, BOT_TIMEZONE: 'UTC' });
    if (!loaded.ok) throw new Error(loaded.message);
    deps = {
      config: loaded.config,
      admins: createAdminDirectory({ adminUserIds: [ADMIN], fetchGroupMembers: async () => [], clock: () => now }),
      context: () => ({ prisma: database.prisma, now, timeZone: 'UTC' }),
      kickOutbox: () => {},
      logger,
      subscriptionTenant: createLocalSubscriptionTenant(database.prisma),
      policyTenant: createLocalPolicyTenant(database.prisma),
      notices: slackNotices,
      uploadFetch: fetch,
    };
  });
  afterEach(async () => {
    await database.close();
  });

  /** Calls the callback with what it reads of Bolt's arguments; returns the fakes to inspect. */
  async function click(value: string) {
    const ack = vi.fn(async () => {});
    const respond = vi.fn(async (_message: unknown) => ({}));
    const args = { action: { type: 'button', action_id: ACTIONS.showSubscription, value }, body: { user: { id: ADMIN } }, ack, respond, logger };
    await showSubscriptionCallback(deps)(args as unknown as ActionArgs);
    return { ack, respond };
  }

  it('acknowledges the click, then answers only the admin who clicked with the subscription', async () => {
    const product = await aProduct(database.prisma, { name: 'Visio Plan 2' });
    const purchaser = await aPerson(database.prisma, { name: 'Ben Okafor' });
    const subscription = await aSubscription(database.prisma, { productId: product.id, purchaserId: purchaser.id });

    const { ack, respond } = await click(subscription.id);

    expect(ack).toHaveBeenCalledOnce();
    expect(respond).toHaveBeenCalledOnce();
    const reply = respond.mock.calls[0]![0];
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(reply)).toContain('Visio Plan 2');
    expect(JSON.stringify(reply)).toContain('Ben Okafor');
  });

  it('answers a subscription that no longer exists with what is wrong and where to find the right id', async () => {
    const { ack, respond } = await click('3f2b9c1a-0000-4000-8000-000000000001');

    expect(ack).toHaveBeenCalledOnce();
    expect(respond).toHaveBeenCalledOnce();
    expect(respond.mock.calls[0]![0]).toMatchObject({
      response_type: 'ephemeral',
      text: 'No subscription has the id `3f2b9c1a-0000-4000-8000-000000000001`. `/purchases list status:all` shows every subscription with its id.',
    });
  });
});
