/**
 * Value comparison for "write only what changed": a sync or an import that finds the record
 * already as it should be writes nothing (no updatedAt moved, no audit row).
 */

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return a === b;
}

/** The fields of `wanted` whose value differs from `current` (dates by instant); empty when nothing changes. */
export function changedFields<T extends object>(current: T, wanted: Partial<T>): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(wanted) as Array<keyof T>) {
    if (!sameValue(current[key], wanted[key])) changed[key] = wanted[key];
  }
  return changed;
}

/** The values `current` had in the fields of `changes`: an audit row's "before". */
export function valuesBefore<T extends object>(current: T, changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, current[key as keyof T]])) as Partial<T>;
}

export const hasChanges = (changes: object): boolean => Object.keys(changes).length > 0;
