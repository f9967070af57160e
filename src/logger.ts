/** The bot's own log lines (jobs, outbox, tenants) on the console, at LOG_LEVEL and above. */
import type { Config } from './config.js';

export interface LevelledLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const RANK: Record<Config['LOG_LEVEL'], number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** `console`, less what is below `level`: LOG_LEVEL=warn prints no routine "job ran" lines. */
export function consoleLogger(level: Config['LOG_LEVEL'], target: Pick<Console, 'debug' | 'info' | 'warn' | 'error'> = console): LevelledLogger {
  const at = (wanted: Config['LOG_LEVEL'], write: (...args: unknown[]) => void) =>
    RANK[wanted] >= RANK[level] ? (...args: unknown[]) => write(...args) : () => {};
  return {
    debug: at('debug', target.debug.bind(target)),
    info: at('info', target.info.bind(target)),
    warn: at('warn', target.warn.bind(target)),
    error: at('error', target.error.bind(target)),
  };
}
