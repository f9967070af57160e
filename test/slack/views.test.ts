import { describe, expect, it } from 'vitest';
import type { SubscriptionPage } from '../../src/services/list-subscriptions.js';
import { GROUPS_PER_PAGE, type ProductLicenses } from '../../src/services/product-licenses.js';
import type { SubscriptionSummary } from '../../src/services/subscription-summary.js';
import { helpMessage, errorMessage } from '../../src/slack/blocks/help.js';
import { licensesMessage } from '../../src/slack/blocks/licenses.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { listMessage } from '../../src/slack/blocks/list.js';
import { subscriptionMessage } from '../../src/slack/blocks/subscription.js';
import { aSubscriptionSummary } from '../support/builders.js';

const now = new Date('2026-11-25T09:00:00Z');
const longName = 'Ａ'.repeat(400);

function aSummary(overrides: Partial<SubscriptionSummary> = {}): SubscriptionSummary {
  return aSubscriptionSummary(1, {
    purchaser: { id: 'p1', name: 'Ana <López> & Co', email: 'ana.lopez@contoso.com', slackUserId: null },
    ...overrides,
  });
}

function violations(message: { text: string; blocks: unknown[] }) {
  return checkBlockKit('message', { text: message.text, blocks: message.blocks });
}

describe('Block Kit views stay within Slack limits', () => {
  it('renders help and errors validly', () => {
    expect(violations(helpMessage())).toEqual([]);
    expect(violations(helpMessage('x'.repeat(5000)))).toEqual([]);
    expect(violations(errorMessage('y'.repeat(5000)))).toEqual([]);
  });

  it('renders a full list page with extreme names, both paging buttons and a capped total', () => {
    const page: SubscriptionPage = {
      items: Array.from({ length: 20 }, (_, i) =>
        aSummary({
          id: `3f2b9c1a-0000-4000-8000-${String(i).padStart(12, '0')}`,
          product: { id: 'CFQ7TTC0H9MP', name: longName },
          purchaser: { id: 'p', name: longName, email: `${longName}@contoso.com`, slackUserId: null },
        }),
      ),
      total: 1000,
      totalCapped: true,
      filters: { status: 'all', productName: longName, purchaser: 'x'.repeat(200), expiringDays: 30 },
      nextCursor: 'n'.repeat(600),
      prevCursor: 'p'.repeat(600),
    };
    const message = listMessage(page, now, 'UTC');
    expect(violations(message)).toEqual([]);
    const nav = message.blocks.at(-1) as { type: string; elements: Array<{ text: { text: string } }> };
    expect(nav.type).toBe('actions');
    expect(nav.elements.map((e) => e.text.text)).toEqual(['Previous', 'Next']);
    expect(message.text).toMatch(/^1,000\+ self-service subscriptions · /);
  });

  it('escapes names so they cannot inject mentions or links', () => {
    const message = listMessage({ items: [aSummary()], total: 1, totalCapped: false, filters: { status: 'active' } }, now, 'UTC');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Ana &lt;López&gt; &amp; Co');
    expect(text).not.toContain('<López>');
  });

  it('renders an empty list with a hint instead of nothing', () => {
    const message = listMessage({ items: [], total: 0, totalCapped: false, filters: { status: 'active' } }, now, 'UTC');
    expect(violations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('No subscriptions match');
  });

  it('renders a cancelled subscription with many users and "and N more"', () => {
    const users = Array.from({ length: 20 }, (_, i) => ({ name: `${longName}${i}`, email: `${longName}${i}@contoso.com`, assignedAt: now }));
    const message = subscriptionMessage(
      {
        subscription: aSummary({
          status: 'Deleted',
          assigned: 5000,
          product: { id: 'CFQ7TTC0H9MP', name: longName },
          cancelledAt: now,
          cancelledBy: longName,
          cancelReason: longName,
          cancelComment: longName,
        }),
        users,
      },
      now,
      'UTC',
    );
    expect(violations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more/);
  });

  it('renders a page of licenses of a product with hundreds of purchasers within 50 blocks, with its paging buttons', () => {
    const licenses: ProductLicenses = {
      product: { id: 'CFQ7TTC0H9MP', name: longName },
      available: 100_000,
      assigned: 90_000,
      free: 10_000,
      groups: Array.from({ length: GROUPS_PER_PAGE }, (_, i) => ({
        purchaser: { id: `p${i}`, name: longName, email: `${longName}@x.com`, slackUserId: null },
        subscriptions: Array.from({ length: 30 }, (_, j) => ({ id: `3f2b9c1a-0000-4000-8000-${String(j).padStart(12, '0')}`, shortId: '3f2b9c1a' })),
        licenses: 300,
        assigned: 300,
        users: Array.from({ length: 15 }, () => ({ name: longName, email: 'x@y.z' })),
      })),
      unattributed: { count: 50_000, users: Array.from({ length: 15 }, () => ({ name: longName, email: 'x@y.z' })) },
      offset: 0,
      groupCount: 300,
      nextCursor: 'CFQ7TTC0H9MP:20',
    };
    const first = licensesMessage(licenses);
    expect(JSON.stringify(first.blocks)).toContain('Not attributed to a subscription');
    expect(violations(first)).toEqual([]);
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(first.blocks)).toContain('Groups 1–20 of 300');

    const second = licensesMessage({ ...licenses, offset: 20, prevCursor: 'CFQ7TTC0H9MP:0', nextCursor: 'CFQ7TTC0H9MP:40' });
    expect(violations(second)).toEqual([]);
    expect(JSON.stringify(second.blocks)).toContain('Groups 21–40 of 300');
    // The people no subscription claims are not a page of groups: the first page names them, once.
    expect(JSON.stringify(second.blocks)).not.toContain('Not attributed to a subscription');
    const buttons = second.blocks.at(-1) as { elements: Array<{ text: { text: string }; value: string }> };
    expect(buttons.elements.map((e) => [e.text.text, e.value])).toEqual([
      ['Previous', 'CFQ7TTC0H9MP:0'],
      ['Next', 'CFQ7TTC0H9MP:40'],
      ['Export users', 'CFQ7TTC0H9MP'],
    ]);
  });
});
