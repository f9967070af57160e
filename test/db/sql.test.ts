import { describe, expect, it } from 'vitest';
import { limitOf } from '../../src/db/repositories/sql.js';

describe('a LIMIT written into the statement', () => {
  it('is the row count as text, and nothing but a row count', () => {
    expect(limitOf(1001).sql).toBe('1001');
    expect(limitOf(0).sql).toBe('0');
    expect(limitOf(1001).values).toEqual([]);
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => limitOf(bad)).toThrow(RangeError);
  });
});
