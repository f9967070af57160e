/**
 * Where a subscription's self-service decision and its holders come from, in words: shown by
 * `show`, so an admin knows what is Microsoft's word, an import's, or an admin's.
 */
import type { SubscriptionOrigin } from '../../services/show-subscription.js';
import { formatDay } from '../../domain/dates.js';
import { plural } from '../../domain/plural.js';
import { personLabel } from './people.js';
import { escapeMrkdwn } from './text.js';

const kind = (selfService: boolean) => (selfService ? 'self-service' : 'central');

/** "purchaser from Graph owner", "marked central by @admin on 2026-11-20", "from import subscriptions.csv on …". */
export function decisionLine(origin: SubscriptionOrigin, timeZone: string): string {
  const on = (at: Date | null) => (at ? ` on ${formatDay(at, timeZone)}` : '');
  switch (origin.selfServiceSource) {
    case 'admin':
      return `marked ${kind(origin.isSelfService)} by ${origin.selfServiceDecidedBy ? personLabel(origin.selfServiceDecidedBy) : 'an admin'}${on(origin.selfServiceDecidedAt)} (no sync or import undoes it)`;
    case 'graph-owner':
      return origin.isSelfService
        ? 'self-service, purchaser from Graph owner (Microsoft 365 names a user as its owner)'
        : 'central: Microsoft 365 names no user of the tenant as its owner';
    case 'import': {
      const last = origin.lastImport;
      const from = last ? `from import${last.file ? ` ${escapeMrkdwn(last.file)}` : ''}${on(last.at)} by ${personLabel(last.by)}` : 'from an import';
      return `${kind(origin.isSelfService)}, ${from}`;
    }
    case 'seed':
      return `${kind(origin.isSelfService)}, from the demo data`;
    default:
      return `${kind(origin.isSelfService)}, as recorded in the bot`;
  }
}

/** Whether the holders shown are this subscription's, or Graph's per-product holders that no subscription claims. */
export function holdersLine(origin: SubscriptionOrigin): string | undefined {
  if (!origin.skuId) return undefined;
  const imported = origin.assignedBySource.import ?? 0;
  if (origin.liveOfSku <= 1)
    return 'attributed to this subscription: it is the only one of its license (SKU) in Microsoft 365, so its holders are everyone holding that license';
  if (imported > 0) return `${plural(imported, 'holder')} attributed to this subscription by an import of license holders`;
  return `not attributed: Microsoft 365 assigns licenses per product, and ${plural(origin.holdersOfSku, 'person', 'people')} hold this one across its ${origin.liveOfSku} subscriptions; \`/purchases licenses\` shows them per product, and an import of license holders attributes them`;
}
