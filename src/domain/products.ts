/**
 * Admins type product names loosely. Resolution order: ProductId, exact name, then an
 * unambiguous case-insensitive substring of the name; otherwise the candidates are listed.
 */
import { AppError } from './errors.js';
import { escapeMrkdwn, quoteInput } from './text.js';

export interface ProductRef {
  id: string;
  name: string;
}

export const PRODUCT_ID_PATTERN = /^[A-Z0-9]{12}$/i;

/**
 * What a button may carry as a product's id: a ProductId or an offer type, or `sku:<skuId>` for a
 * product known only from Microsoft Graph (a SKU the table does not name).
 */
export const PRODUCT_KEY_SOURCE = '(?:[A-Za-z0-9]{1,40}|sku:[0-9a-fA-F-]{36})';

export function matchProduct<T extends ProductRef>(query: string, products: readonly T[]): T {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') {
    throw new AppError('bad_input', 'empty product', 'Name a product, e.g. `Power BI Pro` or its ProductId `CFQ7TTC0H9MP`.');
  }
  const byId = products.find((p) => p.id.toLowerCase() === wanted);
  if (byId) return byId;
  const byName = products.find((p) => p.name.toLowerCase() === wanted);
  if (byName) return byName;
  const candidates = products.filter((p) => p.name.toLowerCase().includes(wanted));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new AppError(
      'not_found',
      `no product matches ${query}`,
      `No product matches ${quoteInput(query)}. Try a ProductId such as \`CFQ7TTC0H9MP\` or part of a name such as \`apps\`; \`/purchases policy\` lists every product.`,
    );
  }
  const list = candidates
    .slice(0, 15)
    .map((p) => `• ${escapeMrkdwn(p.name)} (\`${p.id}\`)`)
    .join('\n');
  const more = candidates.length > 15 ? `\n…and ${candidates.length - 15} more` : '';
  throw new AppError(
    'ambiguous',
    `${candidates.length} products match ${query}`,
    `${quoteInput(query)} matches ${candidates.length} products. Say which one, by name or ProductId:\n${list}${more}`,
  );
}
