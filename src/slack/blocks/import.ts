/**
 * Importing a CSV in Slack: the offer under a file an admin uploaded to the app's DM, and the
 * import's report (the same words `npm run import` prints: rows accepted, and refused by line).
 */
import { describeImport } from '../../services/import/describe-import.js';
import type { ImportReport } from '../../services/import/import-csv.js';
import { USAGE } from '../parse-command.js';
import { ACTIONS } from './action-ids.js';
import type { KnownBlock, SlackMessage } from './block-kit.js';
import { escapeMrkdwn, linesWithin, mrkdwn, plain, truncate } from './text.js';

export function importOfferMessage(file: { id: string; name: string }): SlackMessage {
  const text = `Got \`${escapeMrkdwn(file.name)}\`. Import it into the record? Every row is checked first; refused rows are listed with their line.`;
  return {
    text: truncate(text, 3000),
    blocks: [
      {
        type: 'section',
        block_id: 'import_offer',
        text: mrkdwn(truncate(text, 3000)),
        accessory: { type: 'button', action_id: ACTIONS.importFile, style: 'primary', text: plain('Import this file'), value: file.id },
      },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `A per-product export of users (Billing › Licenses › Export users) names no product: import it with ${USAGE.import}, e.g. \`/purchases import Power BI Pro\`.`,
          ),
        ],
      },
    ],
  };
}

export function importReportMessage(report: ImportReport, timeZone: string): SlackMessage {
  const [summary = '', ...rest] = describeImport(report, timeZone).split('\n');
  const details = rest.filter((line, i) => !(i === 0 && line === ''));
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(report.refused.length > 0 ? 'Imported, with refused rows' : 'Imported', 150) },
    { type: 'section', text: mrkdwn(truncate(escapeMrkdwn(summary), 3000)) },
  ];
  if (details.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`\`\`\`${linesWithin(details.map(escapeMrkdwn), 2880, ' lines')}\`\`\``) });
  }
  return { text: truncate(summary, 3000), blocks };
}

export function noUploadMessage(): SlackMessage {
  const text =
    'No CSV file from you in this app’s Messages tab. A slash command cannot carry a file: drag the CSV into the message box of the app’s Messages tab and send it (no command needed), then click *Import this file* under it, or run `/purchases import` again.';
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
