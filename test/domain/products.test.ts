import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { matchProduct } from '../../src/domain/products.js';

const products = [
  { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' },
  { id: 'CFQ7TTC0H6RP', name: 'Power BI Premium' },
  { id: 'CFQ7TTC0LH2H', name: 'Power Apps per user' },
  { id: 'CFQ7TTC0HD33', name: 'Visio Plan 1' },
  { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' },
];

function failure(query: string): AppError {
  try {
    matchProduct(query, products);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('matching a product typed loosely', () => {
  it('matches a ProductId in any case', () => {
    expect(matchProduct('cfq7ttc0h9mp', products).name).toBe('Power BI Pro');
  });

  it('prefers an exact name over a longer name that contains it', () => {
    expect(matchProduct('power bi pro', products).id).toBe('CFQ7TTC0H9MP');
  });

  it('accepts an unambiguous part of a name', () => {
    expect(matchProduct('apps', products).id).toBe('CFQ7TTC0LH2H');
    expect(matchProduct('premium', products).id).toBe('CFQ7TTC0H6RP');
  });

  it('lists the candidates when a part matches several products', () => {
    const error = failure('visio');
    expect(error.code).toBe('ambiguous');
    expect(error.userMessage).toContain('Visio Plan 1 (`CFQ7TTC0HD33`)');
    expect(error.userMessage).toContain('Visio Plan 2 (`CFQ7TTC0HD32`)');
  });

  it('says what would be right when nothing matches', () => {
    const error = failure('excel');
    expect(error.code).toBe('not_found');
    expect(error.userMessage).toContain('No product matches `excel`');
    expect(error.userMessage).toContain('CFQ7TTC0H9MP');
  });
});
