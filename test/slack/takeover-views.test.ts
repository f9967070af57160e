import { describe, expect, it } from 'vitest';
import type { CentralizePlan } from '../../src/services/centralize.js';
import type { SubscriptionSummary } from '../../src/services/subscription-summary.js';
import type { TakeoverDescription } from '../../src/services/takeover/describe.js';
import { askToCancelMessage, centralizeMessage, centralLicensesAssignedMessage, purchasersAskedMessage } from '../../src/slack/blocks/centralize.js';
import { checkBlockKit } from '../../src/slack/blocks/limits.js';
import { listMessage } from '../../src/slack/blocks/list.js';
import { subscriptionMessage } from '../../src/slack/blocks/subscription.js';
import {
  adminCenterStepMessage,
  approvalMessage,
  purchaserNoticeMessage,
  rejectedMessage,
  rejectModal,
  takeoverModal,
} from '../../src/slack/blocks/takeover.js';
import { aSubscriptionSummary } from '../support/builders.js';

const now = new Date('2026-11-25T09:00:00Z');
const longName = 'Ｍ'.repeat(400);

function aSummary(n: number, overrides: Partial<SubscriptionSummary> = {}): SubscriptionSummary {
  return aSubscriptionSummary(n, {
    product: { id: 'CFQ7TTC0H9MP', name: longName },
    purchaser: { id: `p${n}`, name: `${longName} <@U1>`, email: `${longName}@contoso.com`, slackUserId: null },
    licensesPurchased: 100_000,
    assigned: 99_999,
    expiresAt: new Date('2027-06-01T00:00:00Z'),
    monthlyPrice: { amountMinor: 140_000_000, currency: 'USD' },
    ...overrides,
  });
}

function aRequest(overrides: Partial<TakeoverDescription> = {}): TakeoverDescription {
  return {
    id: '9d0e77b2-0000-4000-8000-000000000001',
    kind: 'cancel',
    status: 'PENDING',
    subscription: aSummary(1),
    target: null,
    reason: 'Other',
    comment: 'c'.repeat(500),
    usersAffected: 99_999,
    requestedBy: 'U0ADMIN0001',
    requestedAt: now,
    decidedBy: null,
    decidedAt: null,
    rejectReason: null,
    executedAt: null,
    failureReason: null,
    purchaserNotice: null,
    completedAt: null,
    completedBy: null,
    licenseWork: null,
    inTenant: false,
    ...overrides,
  };
}

const message = (m: { text: string; blocks: unknown[] }) => checkBlockKit('message', m);

describe('take-over views stay within Slack limits', () => {
  it('renders the modal with 150 possible targets (100 offered) and extreme names', () => {
    const targets = Array.from({ length: 150 }, (_, i) => ({ subscription: aSummary(i + 2, { isSelfService: i % 2 === 0 }), free: i }));
    const view = takeoverModal({ subscription: aSummary(1), targets }, 'Europe/Berlin');
    expect(checkBlockKit('modal', view)).toEqual([]);
    expect(view.private_metadata).toBe(aSummary(1).id);
    expect(JSON.stringify(view)).not.toContain('<@U1>');
  });

  it('renders the modal without targets, leaving only Cancel possible', () => {
    const view = takeoverModal({ subscription: aSummary(1), targets: [] }, 'UTC');
    expect(checkBlockKit('modal', view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('only Cancel is possible');
    expect(checkBlockKit('modal', rejectModal(aRequest().id))).toEqual([]);
  });

  it('renders the approval message pending and in every outcome, with a confirmation only for cancelling', () => {
    const move = aRequest({ kind: 'move', target: aSummary(2, { isSelfService: false, purchaser: null }), reason: null, comment: null });
    expect(message(approvalMessage(move, 'UTC'))).toEqual([]);
    expect(JSON.stringify(approvalMessage(move, 'UTC'))).not.toContain('Are you sure');
    expect(JSON.stringify(approvalMessage(aRequest(), 'UTC'))).toContain('Are you sure you want to cancel?');
    const decided = { decidedBy: 'U0ADMIN0002', decidedAt: now, executedAt: now };
    for (const outcome of [
      aRequest({ ...decided, status: 'EXECUTED', purchaserNotice: 'not_in_slack' }),
      aRequest({ ...decided, status: 'EXECUTED', purchaserNotice: 'sent' }),
      aRequest({ ...decided, status: 'FAILED', failureReason: 'f'.repeat(5000) }),
      aRequest({ ...decided, status: 'REJECTED', rejectReason: 'r'.repeat(500) }),
    ]) {
      const rendered = approvalMessage(outcome, 'UTC');
      expect(message(rendered)).toEqual([]);
      expect(JSON.stringify(rendered)).not.toContain('takeover_approve');
    }
  });

  it('renders the direct messages validly', () => {
    const done = aRequest({ status: 'EXECUTED', decidedBy: 'U0ADMIN0002', decidedAt: now });
    expect(message(purchaserNoticeMessage(done, 'UTC'))).toEqual([]);
    expect(message(purchaserNoticeMessage({ ...done, kind: 'move', target: aSummary(2) }, 'UTC'))).toEqual([]);
    expect(message(rejectedMessage({ ...done, status: 'REJECTED', rejectReason: 'r'.repeat(500) }))).toEqual([]);
    for (const after of [
      { licensesPerProduct: false, users: 99_999, centrallyLicensed: 7 },
      { licensesPerProduct: true, centralSeats: 10, holders: 99_999 },
    ] as const) {
      expect(message(askToCancelMessage(aSummary(3), after, 'U0ADMIN0001', 'UTC'))).toEqual([]);
    }
  });

  it('renders a Microsoft 365 take-over in every state, with thousands of users and Microsoft’s long refusals', () => {
    const user = (i: number, reason: string | null = null, groups: string[] = []) => ({ name: `${longName}${i}`, email: `u${i}@contoso.com`, reason, groups });
    const many = (n: number, make: (i: number) => ReturnType<typeof user>) => Array.from({ length: n }, (_, i) => make(i));
    const licenseWork = {
      done: many(5000, (i) => user(i, null, i % 2 ? ['g'.repeat(36)] : [])),
      gone: many(300, (i) => user(i, 'no longer holds this license')),
      group: many(300, (i) => user(i, null, ['g'.repeat(36), 'h'.repeat(36)])),
      refused: many(300, (i) => user(i, 'License assignment cannot be done for user with invalid usage location. '.repeat(20))),
      waiting: many(300, (i) => user(i, 'Microsoft Graph is unavailable. '.repeat(20))),
      notYet: 90_000,
    };
    const decided = { decidedBy: 'U0ADMIN0002', decidedAt: now, executedAt: now, inTenant: true, licenseWork };
    const states = [
      aRequest({ inTenant: true }),
      aRequest({ ...decided, status: 'APPROVED' }),
      aRequest({ ...decided, status: 'AWAITING_ADMIN_CENTER', purchaserNotice: 'sent' }),
      aRequest({ ...decided, status: 'DONE', completedBy: 'tenant', completedAt: now }),
      aRequest({ ...decided, status: 'DONE', completedBy: 'U0ADMIN0001', completedAt: now, kind: 'move', target: aSummary(2) }),
    ];
    for (const state of states) expect(message(approvalMessage(state, 'UTC'))).toEqual([]);
    expect(JSON.stringify(approvalMessage(states[0]!, 'UTC'))).toContain('an admin cancels the subscription in the Microsoft 365 admin center');
    expect(JSON.stringify(approvalMessage(states[1]!, 'UTC'))).toContain('Not done yet');
    expect(JSON.stringify(approvalMessage(states[2]!, 'UTC'))).toContain('takeover_marked_cancelled');
    expect(JSON.stringify(approvalMessage(states[3]!, 'UTC'))).not.toContain('takeover_marked_cancelled');
    expect(message(adminCenterStepMessage(states[2]!, 'UTC'))).toEqual([]);
    const purchaser = purchaserNoticeMessage(states[2]!, 'UTC');
    expect(message(purchaser)).toEqual([]);
    expect(purchaser.text).toContain('will be cancelled by an admin in the Microsoft 365 admin center');
    expect(purchaser.text).not.toContain('Your subscription is cancelled');
  });

  describe('asking a purchaser to cancel says what that means for their users, and only what the record knows', () => {
    const visio = aSubscriptionSummary(4, { product: { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' }, licensesPurchased: 5 });
    const ask = (after: Parameters<typeof askToCancelMessage>[1]) => askToCancelMessage(visio, after, 'U0ADMIN0001', 'UTC').text;

    it('with licenses of a subscription: who already holds a central license keeps the product, who does not loses it', () => {
      expect(ask({ licensesPerProduct: false, users: 3, centrallyLicensed: 3 })).toContain(
        'The 3 people who use your Visio Plan 2 licenses also hold licenses paid by the organisation, so they keep Visio Plan 2 when you cancel.',
      );
      const some = ask({ licensesPerProduct: false, users: 3, centrallyLicensed: 1 });
      expect(some).toContain(
        '1 of the 3 people who use your Visio Plan 2 licenses also hold licenses paid by the organisation; the other 2 lose Visio Plan 2 when you cancel, unless IT gives them one first.',
      );
      expect(some).toContain('reply to them before you cancel');
      expect(ask({ licensesPerProduct: false, users: 2, centrallyLicensed: 0 })).toContain(
        'hold no license paid by the organisation yet: they lose Visio Plan 2 when you cancel',
      );
      expect(ask({ licensesPerProduct: false, users: 0, centrallyLicensed: 0 })).toContain(
        'Nobody holds a license of your Visio Plan 2 subscription any more.',
      );
    });

    it('on Microsoft 365: the users keep the product only if the organisation’s own seats cover everyone who holds it', () => {
      const covered = ask({ licensesPerProduct: true, centralSeats: 20, holders: 12 });
      expect(covered).toContain('In Microsoft 365 a license belongs to the product, not to the subscription that pays for it');
      expect(covered).toContain('have 20 licenses for the 12 people who hold Visio Plan 2: the people who use yours keep Visio Plan 2 when you cancel.');
      expect(covered).not.toContain('reply to them');
      expect(ask({ licensesPerProduct: true, centralSeats: 10, holders: 12 })).toContain(
        '10 licenses for the 12 people who hold Visio Plan 2, 2 too few: some people may lose Visio Plan 2',
      );
      expect(ask({ licensesPerProduct: true, centralSeats: 0, holders: 12 })).toContain('the organisation has no Visio Plan 2 subscription of its own');
    });
  });

  it('tells a purchaser whose users moved to another self-service subscription that the organisation does not pay for them', () => {
    const moved = aRequest({ status: 'EXECUTED', kind: 'move', decidedBy: 'U0ADMIN0002', decidedAt: now, usersAffected: 3 });
    const toCentral = purchaserNoticeMessage({ ...moved, target: aSubscriptionSummary(5, { isSelfService: false, purchaser: null }) }, 'UTC').text;
    expect(toCentral).toContain('now have licenses paid by the organisation');
    const toSelfService = purchaserNoticeMessage(
      { ...moved, target: aSubscriptionSummary(6, { purchaser: { id: 'p6', name: 'Ana Lopez', email: 'ana@contoso.com', slackUserId: null } }) },
      'UTC',
    ).text;
    expect(toSelfService).toContain('now have licenses of another self-service subscription, bought by Ana Lopez');
    expect(toSelfService).not.toContain('paid by the organisation');
  });

  it('renders a centralize plan with hundreds of subscriptions and users', () => {
    const holder = (i: number) => ({ id: `u${i}`, name: `${longName}${i}`, email: `u${i}@contoso.com` });
    const plan: CentralizePlan = {
      product: { id: 'CFQ7TTC0H9MP', name: longName },
      selfService: Array.from({ length: 300 }, (_, i) => ({ subscription: aSummary(i), users: Array.from({ length: 30 }, (_, j) => holder(j)) })),
      selfServiceSpend: {
        monthly: [
          { amountMinor: 999_999_999, currency: 'EUR' },
          { amountMinor: 1, currency: 'USD' },
        ],
        unknownPrices: 7,
      },
      central: Array.from({ length: 200 }, (_, i) => ({ subscription: aSummary(1000 + i, { isSelfService: false, purchaser: null }), free: i })),
      toAssign: Array.from({ length: 9000 }, (_, i) => holder(i)),
      skipped: [holder(1)],
      free: 20_000,
      missing: 0,
      grants: [],
      licensesPerProduct: false,
    };
    const rendered = centralizeMessage(plan);
    expect(message(rendered)).toEqual([]);
    expect(JSON.stringify(rendered)).toContain('centralize_assign');
    expect(JSON.stringify(centralizeMessage({ ...plan, missing: 5 }))).not.toContain('centralize_assign');
    const perProduct = centralizeMessage({ ...plan, licensesPerProduct: true });
    expect(message(perProduct)).toEqual([]);
    expect(JSON.stringify(perProduct)).not.toContain('centralize_assign');
    expect(perProduct.text).toContain('Nothing to assign in Microsoft 365');
    expect(message(centralLicensesAssignedMessage(longName, 1, 1))).toEqual([]);
    expect(centralLicensesAssignedMessage('Visio', 1, 2).text).toContain('Central Visio licenses assigned to 1 person. 2 people already held one');
    expect(message(purchasersAskedMessage(3, 2))).toEqual([]);
  });

  it('offers Take over on active self-service subscriptions only, in show and in list rows', () => {
    const has = (m: unknown) => JSON.stringify(m).includes('takeover_open');
    const details = (s: SubscriptionSummary) => ({ subscription: s, users: [] });
    expect(has(subscriptionMessage(details(aSummary(1)), now, 'UTC'))).toBe(true);
    expect(has(subscriptionMessage(details(aSummary(1, { status: 'Deleted' })), now, 'UTC'))).toBe(false);
    expect(has(subscriptionMessage(details(aSummary(1, { isSelfService: false, purchaser: null })), now, 'UTC'))).toBe(false);
    const page = { items: [aSummary(1, { status: 'Deleted' })], total: 1, totalCapped: false, filters: { status: 'all' as const } };
    expect(has(listMessage(page, now, 'UTC'))).toBe(false);
  });
});
