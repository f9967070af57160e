/** Prisma's error code for a unique constraint violation, the same on SQLite and PostgreSQL. */
const UNIQUE_VIOLATION = 'P2002';

/**
 * Whether a Prisma call failed because a row with the same unique key exists already: how the
 * database tells a state change that must happen once that another caller made it first
 * (docs/decisions/unique-keys-guard-once-only-changes.md).
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * Runs an insert that a unique key guards: true when this call inserted the row, false when a row
 * with the key was there first. Any other failure is thrown.
 */
export async function insertedFirst(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
