/** A file names a product exactly: by ProductId, by name as the record has it, or by Graph's part number. */
import type { ImportProduct } from '../../db/repositories/imports.js';

export function productResolver(products: ImportProduct[]): (name: string) => ImportProduct | undefined {
  const byKey = new Map<string, ImportProduct>();
  // Ids first, then part numbers, then names: an earlier key is never overwritten.
  const keysOf = [(p: ImportProduct) => [p.id], (p: ImportProduct) => p.partNumbers, (p: ImportProduct) => [p.name]];
  for (const keys of keysOf) {
    for (const product of products) {
      for (const key of keys(product)) if (!byKey.has(key.toLowerCase())) byKey.set(key.toLowerCase(), product);
    }
  }
  return (name) => byKey.get(name.trim().toLowerCase());
}

export function unknownProductReason(name: string): string {
  return `no product "${name}" in the record: name it as \`/purchases policy\` lists it (e.g. Power BI Pro) or give its ProductId (e.g. CFQ7TTC0H9MP)`;
}
