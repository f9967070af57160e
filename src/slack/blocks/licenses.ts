import { plural } from '../../domain/plural.js';
import type { ProductLicenses } from '../../services/product-licenses.js';
import { ACTIONS } from './action-ids.js';
import type { ActionsBlock, KnownBlock, SlackMessage } from './block-kit.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

export function licensesMessage(licenses: ProductLicenses): SlackMessage {
  const { product } = licenses;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${product.name}: licenses`, 150) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Available quantity*\n${licenses.available}`),
        mrkdwn(`*Assigned*\n${licenses.assigned}`),
        mrkdwn(`*Free*\n${licenses.free}`),
        mrkdwn(`*ProductId*\n\`${product.id}\``),
      ],
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          'Available quantity is the total of all active subscriptions bought for this product. Users are grouped by the purchaser whose subscription they hold.',
        ),
      ],
    },
    { type: 'divider' },
  ];
  if (licenses.groups.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn('No active subscription of this product.') });
  }
  for (const group of licenses.groups) {
    const title = group.purchaser ? `*${escapeMrkdwn(group.purchaser.name)}* (${escapeMrkdwn(group.purchaser.email)})` : '*Central subscription*';
    const subs = group.subscriptions.map((s) => `\`${s.shortId}\``).join(' ');
    const hidden = group.assigned - group.users.length;
    const more = hidden > 0 ? ` …and ${hidden} more` : '';
    const users = group.users.map((u) => escapeMrkdwn(u.name));
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `${title} · ${plural(group.licenses, 'license')}, ${group.assigned} assigned · ${subs}\n` +
          (users.length > 0 ? `${truncate(users.join(', '), 2400)}${more}` : 'No users assigned.'),
      ),
    });
  }
  // Outside the paged groups: shown once, on the first page.
  if (licenses.unattributed.count > 0 && licenses.offset === 0) {
    const { count, users } = licenses.unattributed;
    const more = count > users.length ? ` …and ${count - users.length} more` : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*Not attributed to a subscription* · ${plural(count, 'person', 'people')} hold ${escapeMrkdwn(product.name)} in Microsoft 365, which assigns licenses per product: with several subscriptions, only an import of license holders says whose they are.\n${truncate(users.map((u) => escapeMrkdwn(u.name)).join(', '), 2400)}${more}`,
      ),
    });
  }
  if (licenses.groupCount > licenses.groups.length) {
    const first = licenses.offset + 1;
    const last = licenses.offset + licenses.groups.length;
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`Groups ${first}–${last} of ${licenses.groupCount}, most licenses first. Export users lists everyone.`)],
    });
  }
  const buttons: ActionsBlock['elements'] = [];
  if (licenses.prevCursor) buttons.push({ type: 'button', action_id: ACTIONS.licensesPrev, text: plain('Previous'), value: licenses.prevCursor });
  if (licenses.nextCursor) buttons.push({ type: 'button', action_id: ACTIONS.licensesNext, text: plain('Next'), value: licenses.nextCursor });
  buttons.push({ type: 'button', action_id: ACTIONS.exportProduct, text: plain('Export users'), value: product.id });
  blocks.push({ type: 'actions', block_id: 'licenses_actions', elements: buttons });
  return { text: `${escapeMrkdwn(product.name)}: ${licenses.assigned} of ${plural(licenses.available, 'license')} assigned`, blocks };
}
