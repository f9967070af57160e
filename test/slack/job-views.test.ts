import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../src/services/dashboard.js';
import type { Digest } from '../../src/services/post-digest.js';
import type { SubscriptionSummary } from '../../src/services/subscription-summary.js';
import { describeDigestResult, digestMessages } from '../../src/slack/blocks/digest.js';
import { adminHome, nonAdminHome } from '../../src/slack/blocks/home.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { reminderMessages } from '../../src/slack/blocks/reminders.js';
import { aSubscriptionSummary } from '../support/builders.js';

const now = new Date('2026-11-25T09:00:00Z');
const huge = 'Ｗ'.repeat(3000);

function aSummary(n: number, overrides: Partial<SubscriptionSummary> = {}): SubscriptionSummary {
  return aSubscriptionSummary(n, {
    product: { id: 'CFQ7TTC0H9MP', name: huge },
    purchaser: { id: `p${n}`, name: huge, email: `${'x'.repeat(200)}@contoso.com`, slackUserId: null },
    licensesPurchased: 99_999,
    assigned: 99_999,
    unitPrice: { amountMinor: 999_999_99, currency: 'EUR' },
    monthlyPrice: { amountMinor: 999_999_99 * 99_999, currency: 'EUR' },
    isTrial: n % 2 === 0,
    firstSeenAt: now,
    ...overrides,
  });
}

const valid = (surface: 'message' | 'home', payload: { blocks: unknown[]; text?: string; type?: string }) => checkBlockKit(surface, payload);

describe('the scheduled jobs’ views stay within Slack limits', () => {
  it('splits a digest of hundreds of purchases in many products into valid messages', () => {
    const groups = Array.from({ length: 40 }, (_, g) => ({
      product: { id: `P${g}`, name: `${g} ${huge}` },
      items: Array.from({ length: 10 }, (_, i) => aSummary(g * 10 + i)),
    }));
    const digest: Digest = {
      from: new Date('2026-11-24T09:00:00Z'),
      to: now,
      groups,
      totals: { count: 400, active: 400, licenses: 400 * 99_999, monthly: [{ amountMinor: 1, currency: 'EUR' }], unknownPrices: 0 },
    };
    const messages = digestMessages(digest, now, 'Pacific/Chatham');
    expect(messages.length).toBeGreaterThan(8);
    for (const message of messages) expect(valid('message', message)).toEqual([]);
    expect(
      messages
        .map((m) => JSON.stringify(m.blocks))
        .join()
        .split('"action_id":"takeover_open"').length - 1,
    ).toBe(400);
  });

  it('offers no Take over for a purchase already Deleted', () => {
    const digest: Digest = {
      from: null,
      to: now,
      groups: [{ product: { id: 'P', name: 'Visio Plan 2' }, items: [aSummary(1, { status: 'Deleted' })] }],
      totals: { count: 1, active: 0, licenses: 0, monthly: [], unknownPrices: 0 },
    };
    const json = JSON.stringify(digestMessages(digest, now, 'UTC'));
    expect(json).toContain('subscription_show');
    expect(json).not.toContain('takeover_open');
  });

  it('renders reminders of any length validly', () => {
    const messages = reminderMessages(
      { thresholdDays: 7, items: Array.from({ length: 120 }, (_, i) => ({ ...aSummary(i), expiresAt: now, daysLeft: 5 })) },
      now,
      'UTC',
    );
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(valid('message', message)).toEqual([]);
  });

  it('renders the admins’ dashboard with extreme data, and the explanation for everyone else', () => {
    const dashboard: Dashboard = {
      counts: { active: 1_000_000, deleted: 5, trials: 3 },
      spendByProduct: Array.from({ length: 300 }, (_, i) => ({
        product: { id: `P${i}`, name: huge },
        subscriptions: i,
        monthly: [
          { amountMinor: 1, currency: 'USD' },
          { amountMinor: 2, currency: 'EUR' },
        ],
        unknownPrices: i % 3,
      })),
      spendTotal: [{ amountMinor: 999_999_999_999, currency: 'USD' }],
      spendUnknownPrices: 300,
      expiring: { total: 500, items: Array.from({ length: 10 }, (_, i) => aSummary(i)) },
      pending: {
        total: 80,
        items: Array.from({ length: 10 }, (_, i) => ({
          id: `r${i}`,
          kind: i % 2 ? 'move' : 'cancel',
          subscriptionShortId: '3f2b9c1a',
          productName: huge,
          requestedBy: 'U0ADMIN0001',
          requestedAt: now,
          undelivered: i % 3 ? null : huge,
        })),
      },
      awaitingAdminCenter: {
        total: 40,
        items: Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, kind: i % 2 ? 'move' : 'cancel', subscriptionShortId: '3f2b9c1a', since: now })),
      },
      lastDigestAt: null,
      lastSyncAt: now,
      lastTenantSync: { ok: false, at: now, error: huge },
      undelivered: { count: 1_000_000, latestError: huge },
    };
    const home = adminHome(dashboard, now, 'America/New_York', huge);
    expect(valid('home', home)).toEqual([]);
    expect(JSON.stringify(home)).toContain('and 490 more');
    expect(JSON.stringify(home)).toContain('Waiting for the admin center');
    expect(JSON.stringify(home)).toContain('Tenant sync:');
    expect(valid('home', nonAdminHome())).toEqual([]);
  });

  it('tells the admin what /purchases digest did, in one line each', () => {
    const config = { ADMIN_CHANNEL_ID: 'C0ADMINS01' };
    expect(describeDigestResult({ status: 'posted', from: null, to: now, count: 3, messages: 1 }, config, 'UTC')).toBe(
      ':white_check_mark: Posting the digest of 3 new purchases so far to <#C0ADMINS01>.',
    );
    expect(describeDigestResult({ status: 'empty', from: new Date('2026-11-24T09:00:00Z'), to: now }, config, 'UTC')).toBe(
      'Nothing new since 2026-11-24 09:00: no digest posted.',
    );
    expect(describeDigestResult({ status: 'no-channel' }, {}, 'UTC')).toContain('ADMIN_CHANNEL_ID');
  });
});
