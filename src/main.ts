/** Entry point: reads .env (if present) and the environment, then runs the bot until stopped. */
import { existsSync } from 'node:fs';
import { loadConfig } from './config.js';
import { isAppError } from './domain/errors.js';

if (existsSync('.env')) process.loadEnvFile('.env');

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
  const bot = await startBot(config);
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : `HTTP mode on port ${bot.port} (POST /slack/events)`;
  console.info(`Purchase governance bot is running in ${mode} with the ${config.TENANT} tenant.`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal} received: stopping.`);
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (isAppError(error)) {
    console.error(`The bot cannot start: ${error.userMessage}`);
  } else {
    console.error('The bot cannot start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
