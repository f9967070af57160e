import { quoteInput } from '../../domain/text.js';
import { USAGE, type Subcommand } from '../parse-command.js';
import type { SlackMessage } from './block-kit.js';
import { mrkdwn, plain } from './text.js';

/** Usage with examples; for an unknown subcommand, that first (and the subcommand it is closest to). */
export function helpMessage(unknown?: string, suggestion?: Subcommand): SlackMessage {
  const guess = suggestion ? ` Did you mean \`/purchases ${suggestion}\`?` : '';
  const intro = unknown
    ? `I don't know ${quoteInput(unknown)}.${guess} Here is what \`/purchases\` can do:`
    : 'Govern the licenses people buy for themselves with a credit card (self-service purchases).';
  return {
    text: unknown ? `I don't know ${quoteInput(unknown)}.${guess} Try /purchases help.` : '/purchases: usage',
    blocks: [
      { type: 'header', text: plain('/purchases — self-service purchases', 150) },
      { type: 'section', text: mrkdwn(intro) },
      {
        type: 'section',
        text: mrkdwn(
          [
            `*List* ${USAGE.list}`,
            '  e.g. `/purchases list Power BI Pro expiring:30` · `/purchases list purchaser:"Meera Desai" status:all`',
            `*Show one* ${USAGE.show}`,
            '  e.g. `/purchases show 3f2b9c1a`',
            `*Who holds licenses* ${USAGE.licenses}`,
            '  e.g. `/purchases licenses Visio Plan 2`',
            `*CSV of licensed users* ${USAGE.export}`,
            '  e.g. `/purchases export Power BI Pro` · `/purchases export 3f2b9c1a 9d0e77b2`',
            `*Take over one* ${USAGE.takeover}`,
            '  e.g. `/purchases takeover 3f2b9c1a`: move its users to another subscription, or cancel it; another admin approves in the admins’ channel',
            `*Withdraw a pending take-over* ${USAGE.withdraw}`,
            `*Centralize a product* ${USAGE.centralize}`,
            '  e.g. `/purchases centralize Power BI Pro`: give central licenses to self-service users, ask purchasers to cancel',
            `*Purchase policies* ${USAGE.policy} · ${USAGE.policyAll}`,
            '  e.g. `/purchases policy` · `/purchases policy Power BI Pro` · `/purchases policy Power BI Pro disabled` · `/purchases policy all disabled`',
            `*Post the digest now* ${USAGE.digest} — purchases first seen since the last digest, to the admins' channel`,
            `*Where money could be saved* ${USAGE.savings} — people licensed twice, seats nobody holds, licenses of disabled accounts, what central licenses would cost; each with its fix`,
            `*Post the weekly report now* ${USAGE.report} — the spend chart, this month against last, new purchasers, top savings and open policies, to the admins' channel`,
            `*Read Microsoft 365 now* ${USAGE.sync} — subscriptions, seats and who holds which license (TENANT=microsoft)`,
            `*Self-service or central* ${USAGE.mark} — your decision, which no sync or import undoes`,
            '  e.g. `/purchases mark 3f2b9c1a central`',
            `*Import a CSV* ${USAGE.import} — upload the file to this app's Messages tab first; the product names a per-product export of users`,
            '*Help* `/purchases help`',
          ].join('\n'),
        ),
      },
      {
        type: 'context',
        elements: [
          mrkdwn(
            'Products match by ProductId (e.g. `CFQ7TTC0H9MP`), exact name, or an unambiguous part of the name. Put a name with spaces in quotes: `purchaser:"Meera Desai"`. Replies are only visible to you.',
          ),
        ],
      },
    ],
  };
}

/** The one way an error reaches an admin: an ephemeral line, what was wrong and what would be right. */
export function errorMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:warning: ${text}`) }] };
}
