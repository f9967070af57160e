import type { HomeView } from './block-kit.js';
import { mrkdwn, plain } from './text.js';

export function adminHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('Self-service purchase governance', 150) },
      {
        type: 'section',
        text: mrkdwn(
          'Licenses that people buy for themselves with a credit card (Power BI Pro, Power Apps, Visio, Project, …) show up here for you to review.',
        ),
      },
      {
        type: 'section',
        text: mrkdwn(
          [
            '• `/purchases list` — the newest self-service subscriptions, with filters',
            '• `/purchases list expiring:30` — what renews within 30 days',
            '• `/purchases licenses Power BI Pro` — who holds licenses, grouped by purchaser',
            '• `/purchases export Visio Plan 2` — a CSV of the licensed users',
            '• `/purchases help` — everything else',
          ].join('\n'),
        ),
      },
    ],
  };
}

export function nonAdminHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('Self-service purchase governance', 150) },
      {
        type: 'section',
        text: mrkdwn(
          'This app helps your Microsoft 365 admins review licenses bought with personal credit cards. Only admins can use it. If you bought a license yourself, an admin may contact you about moving you to a license the company pays for.',
        ),
      },
    ],
  };
}
