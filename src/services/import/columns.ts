/**
 * Which column is which, for the bot's templates and the Microsoft 365 admin center's exports.
 * Headers are compared with case, spaces and punctuation ignored ("Subscription ID",
 * "subscription_id" and " SubscriptionId " are one header). Each field takes the first of its
 * names that the file has. The admin center's exact headers are not published, so the names
 * below are those of its pages and of reasonable variants of them.
 */
import { AppError } from '../../domain/errors.js';

export type ImportKind = 'subscriptions' | 'holders';

export const SUBSCRIPTION_FIELDS = {
  id: ['Subscription id', 'Subscription', 'Id', 'Subscription number', 'Commerce subscription id'],
  product: ['Product', 'Product name', 'Product title', 'ProductId', 'Product id', 'SKU', 'SKU part number', 'License', 'License name'],
  purchaserEmail: ['Purchaser email', 'Purchaser', 'Purchased by', 'Bought by', 'Buyer', 'Buyer email', 'Owner', 'Owner email', 'Purchaser UPN'],
  purchaserName: ['Purchaser name', 'Buyer name', 'Owner name'],
  licenses: ['Licenses', 'Quantity', 'Total licenses', 'Purchased licenses', 'Licenses purchased', 'Purchased quantity', 'License quantity', 'Seats'],
  purchased: [
    'Purchased',
    'Purchase date',
    'Purchased on',
    'Purchased at',
    'Start date',
    'Subscription start date',
    'Created',
    'Created date',
    'Created on',
    'Order date',
  ],
  renews: [
    'Renews',
    'Renewal date',
    'Renews on',
    'Expires',
    'Expiration date',
    'Expiry date',
    'Expires at',
    'End date',
    'Subscription end date',
    'Next charge date',
    'Next billing date',
  ],
  unitPrice: ['Unit price', 'Price', 'Price per license', 'Price per user', 'Price per month', 'Unit cost'],
  currency: ['Currency', 'Billing currency', 'Currency code'],
  trial: ['Trial', 'Is trial'],
  status: ['Status', 'Subscription status', 'State'],
  selfService: ['Self-service', 'Is self-service', 'Self service purchase'],
} as const;

export const HOLDER_FIELDS = {
  subscriptionId: ['Subscription id', 'Subscription'],
  // "Username" is the UPN in Microsoft's exports, but this bot's own export calls the name "User name"
  // (the same header once spaces are ignored): it is the email only when no other column is.
  email: ['User principal name', 'UPN', 'User email', 'Email', 'Email address', 'Email / UPN', 'Mail', 'Sign-in name', 'Username'],
  name: ['Display name', 'Name', 'Full name', 'User name', 'User'],
  product: ['Product', 'Product name', 'Licenses', 'License', 'License name', 'Assigned products'],
} as const;

export type SubscriptionField = keyof typeof SUBSCRIPTION_FIELDS;
export type HolderField = keyof typeof HOLDER_FIELDS;

/** The bot's templates: the first line of each file, as the README documents them. */
export const SUBSCRIPTIONS_TEMPLATE = [
  'Subscription id',
  'Product',
  'Purchaser email',
  'Licenses',
  'Purchased',
  'Renews',
  'Unit price',
  'Currency',
  'Trial',
  'Status',
];
export const HOLDERS_TEMPLATE = ['Subscription id', 'User principal name', 'Display name'];

export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Field -> index of its column in the file; each column serves one field, fields in the order given. */
export type ColumnMap<F extends string> = Partial<Record<F, number>>;

export function mapColumns<F extends string>(headers: string[], fields: Record<F, readonly string[]>): ColumnMap<F> {
  const byName = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = normalizeHeader(header);
    if (key !== '' && !byName.has(key)) byName.set(key, index);
  });
  const used = new Set<number>();
  const map: ColumnMap<F> = {};
  for (const field of Object.keys(fields) as F[]) {
    for (const name of fields[field]) {
      const index = byName.get(normalizeHeader(name));
      if (index !== undefined && !used.has(index)) {
        map[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return map;
}

const templateHint =
  `The first line must name the columns. Subscriptions: ${SUBSCRIPTIONS_TEMPLATE.join(', ')}. ` +
  `License holders: ${HOLDERS_TEMPLATE.join(', ')} (or Product instead of Subscription id). ` +
  'The Microsoft 365 admin center’s exports (Billing › Your products; Licenses › Export users) work as they are.';

export type FileLayout = { kind: 'subscriptions'; columns: ColumnMap<SubscriptionField> } | { kind: 'holders'; columns: ColumnMap<HolderField> };

/**
 * Which kind of file this is, from its header line; an AppError names what is missing. A column
 * of users' emails makes it a file of license holders (the admin center's user exports also have
 * a "Licenses" column, of product names); otherwise a count of licenses makes it subscriptions.
 */
export function detectLayout(headers: string[], options: { product?: string | undefined }): FileLayout {
  const holders = mapColumns(headers, HOLDER_FIELDS);
  if (holders.email !== undefined) {
    if (holders.subscriptionId === undefined && holders.product === undefined && !options.product) {
      throw new AppError(
        'bad_input',
        'holders file without subscription or product',
        'This looks like a file of license holders but says neither which subscription (a `Subscription id` column) nor which product ' +
          '(a `Product` column, or name the product when importing, e.g. `npm run import -- users.csv --product "Power BI Pro"`).',
      );
    }
    return { kind: 'holders', columns: holders };
  }
  const subscriptions = mapColumns(headers, SUBSCRIPTION_FIELDS);
  if (subscriptions.licenses !== undefined) {
    const missing = (['id', 'product', 'purchased'] as const).filter((field) => subscriptions[field] === undefined);
    if (missing.length > 0) {
      throw new AppError(
        'bad_input',
        `subscriptions file without ${missing.join(', ')}`,
        `This looks like a file of subscriptions (it has a "${headers[subscriptions.licenses]}" column) but has no ${missing.map((f) => `\`${SUBSCRIPTION_FIELDS[f][0]}\``).join(', ')} column. ${templateHint}`,
      );
    }
    if (subscriptions.unitPrice !== undefined && subscriptions.currency === undefined) {
      throw new AppError(
        'bad_input',
        'price without currency',
        `The file has prices ("${headers[subscriptions.unitPrice]}") but no \`Currency\` column: add one (USD, EUR, …).`,
      );
    }
    return { kind: 'subscriptions', columns: subscriptions };
  }
  throw new AppError(
    'bad_input',
    'unknown file layout',
    `The columns ${headers.map((h) => `"${h}"`).join(', ')} are neither subscriptions nor license holders. ${templateHint}`,
  );
}
