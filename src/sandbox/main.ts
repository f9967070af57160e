/** `npm run sandbox`: the bot against a local Slack, in the browser. */
import { loadSandboxConfig } from './config.js';
import { startSandbox } from './sandbox.js';

const loaded = loadSandboxConfig(process.env);
if (!loaded.ok) {
  console.error(loaded.message);
  process.exit(1);
}
const { SANDBOX_PORT, SANDBOX_DB } = loaded.config;

try {
  const sandbox = await startSandbox({
    port: SANDBOX_PORT,
    databaseFile: SANDBOX_DB,
    env: { BOT_TIMEZONE: process.env.BOT_TIMEZONE, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  console.info(`Sandbox ready: open ${sandbox.url} (demo tenant in ${SANDBOX_DB}; Ctrl+C stops it).`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`The sandbox cannot start: port ${SANDBOX_PORT} is in use. Set SANDBOX_PORT to another port, e.g. SANDBOX_PORT=3001 npm run sandbox`);
  } else {
    console.error('The sandbox cannot start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
