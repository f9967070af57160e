import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/logger.js';

function recordingConsole() {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push(`${level} ${args.join(' ')}`);
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

describe('the bot’s console log', () => {
  it('prints only what is at LOG_LEVEL or above', () => {
    const target = recordingConsole();
    const logger = consoleLogger('warn', target);
    logger.debug('a');
    logger.info('Job takeover-resume ran');
    logger.warn('Outbox message will be retried');
    logger.error('failed for good');
    expect(target.lines).toEqual(['warn Outbox message will be retried', 'error failed for good']);
  });

  it('prints everything at debug', () => {
    const target = recordingConsole();
    const logger = consoleLogger('debug', target);
    logger.debug('a');
    logger.info('b');
    expect(target.lines).toEqual(['debug a', 'info b']);
  });
});
