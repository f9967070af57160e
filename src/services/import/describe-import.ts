/** An import's report as plain text: what the command line prints (and what a Slack reply can quote). */
import { formatDateTime } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import type { ImportReport } from './import-csv.js';

const KIND = { subscriptions: 'subscriptions', holders: 'license holders' } as const;

export function describeImport(report: ImportReport, timeZone: string): string {
  const counts = [`${plural(report.accepted, 'row')} accepted`, `${report.refused.length} refused`];
  if (report.skipped.length > 0) counts.push(`${report.skipped.length} skipped`);
  const lines = [
    `${report.fileName} (${KIND[report.kind]}): ${counts.join(', ')}.`,
    report.changed > 0
      ? `${plural(report.changed, 'change')} in the record.`
      : report.accepted > 0
        ? 'Nothing changed in the record: it already held all of that.'
        : 'Nothing changed in the record.',
  ];
  if (report.previously) lines.push(`The same file was imported before, on ${formatDateTime(report.previously.at, timeZone)} by ${report.previously.by}.`);
  if (report.refused.length > 0) {
    lines.push('', 'Refused (fix these lines and import the file again; the other rows are in):');
    for (const { line, reason } of report.refused) lines.push(`  line ${line}: ${reason}`);
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const { line, reason } of report.skipped) lines.push(`  line ${line}: ${reason}`);
  }
  if (report.ignoredProducts.length > 0) {
    lines.push('', `Not products of the record, left aside: ${report.ignoredProducts.map((p) => `${p.name} (${plural(p.rows, 'row')})`).join(', ')}.`);
  }
  return lines.join('\n');
}
