import { vi } from 'vitest';

/**
 * Waits until `check` stops throwing, for what the bot does after it has answered (the outbox
 * posting, a listener replying on its response_url). vitest's default of one second is too short
 * on a busy two-core machine; a check that passes returns at once, so a long limit costs nothing.
 */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: 45_000, interval: 50 });
}
