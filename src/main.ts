/** Entry point: reads .env (if present) and the environment, then runs the bot until stopped. */
import { existsSync } from 'node:fs';
import { loadConfig } from './config.js';
import { isAppError } from './domain/errors.js';

/** SIGTERM or SIGINT: the bot stops within this, whatever it is doing (bot.stop() takes ~6 s at most). */
const STOP_DEADLINE_MS = 10_000;

if (existsSync('.env')) process.loadEnvFile('.env');

// A promise nobody handled is a bug to log, not a reason to drop every request in flight.
process.on('unhandledRejection', (reason) => console.error('Unhandled promise rejection (the bot keeps running):', reason));

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(loaded.message);
  process.exit(1);
}
const { config } = loaded;
for (const warning of loaded.warnings) console.warn(`Warning: ${warning}`);

// The bot (Bolt, Prisma and the rest) loads only once the settings are known to be good.
const { startBot } = await import('./bot.js');

try {
  let lost: (() => void) | undefined;
  // The SQLite file vanished while running: stop, so that nothing more goes into a deleted file.
  const bot = await startBot(config, { onDatabaseLost: () => lost?.() });
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : `HTTP mode on port ${bot.port} (POST /slack/events)`;
  console.info(`Purchase governance bot is running in ${mode} with the ${config.TENANT} tenant.`);
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) {
      console.info(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.info(`${signal}: stopping.`);
    setTimeout(() => {
      console.error(`The bot did not stop within ${STOP_DEADLINE_MS / 1000} s: exiting anyway.`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    try {
      await bot.stop();
      process.exit(exitCode);
    } catch (error) {
      console.error('Stopping failed:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT received'));
  process.on('SIGTERM', () => void shutdown('SIGTERM received'));
  lost = () => void shutdown('The database is gone', 1);
} catch (error) {
  if (isAppError(error)) {
    console.error(`The bot cannot start: ${error.userMessage}`);
  } else {
    console.error('The bot cannot start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
