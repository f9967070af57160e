/**
 * Bounded statements over unbounded sets: a write or an `IN (...)` list takes at most CHUNK_SIZE
 * rows, and a whole table is read in keyset pages, so no query's bind parameters grow with the
 * tenant (SQLite allows 32,766 per statement, PostgreSQL 65,535).
 */

/** Rows per statement: with a dozen columns, well under both databases' limits. */
export const CHUNK_SIZE = 500;

/** Rows per keyset page when a whole table is read. */
const PAGE_SIZE = 5000;

export function chunks<T>(rows: readonly T[], size = CHUNK_SIZE): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < rows.length; i += size) result.push(rows.slice(i, i + size));
  return result;
}

/** Every row, read by id in pages: `read(afterId, take)` returns the next page in id order. */
export async function readAllById<T extends { id: string }>(read: (afterId: string | undefined, take: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await read(afterId, PAGE_SIZE);
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
    afterId = page[page.length - 1]!.id;
  }
}
