/** A file names a product exactly: by ProductId, by name as the record has it, or by Graph's part number. */
import type { ImportProduct } from '../../db/repositories/imports.js';

export function productResolver(products: ImportProduct[]): (name: string) => ImportProduct | undefined {
  const byKey = new Map<string, ImportProduct>();
  // Ids first, then part numbers, then names: an earlier key is never overwritten.
  for (const key of ['id', 'skuPartNumber', 'name'] as const) {
    for (const product of products) {
      const value = product[key]?.toLowerCase();
      if (value && !byKey.has(value)) byKey.set(value, product);
    }
  }
  return (name) => byKey.get(name.trim().toLowerCase());
}

export function unknownProductReason(name: string): string {
  return `no product "${name}" in the record: name it as \`/purchases policy\` lists it (e.g. Power BI Pro) or give its ProductId (e.g. CFQ7TTC0H9MP)`;
}
