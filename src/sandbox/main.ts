/** `npm run sandbox`: the bot against a local Slack (and, with SANDBOX_TENANT=microsoft, a local Microsoft 365), in the browser. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_CA_PATH } from '../devkit/microsoft-fake/index.js';
import { loadSandboxConfig } from './config.js';
import { startSandbox } from './sandbox.js';

const loaded = loadSandboxConfig(process.env);
if (!loaded.ok) {
  console.error(loaded.message);
  process.exit(1);
}
const { SANDBOX_PORT, SANDBOX_DB, SANDBOX_TENANT } = loaded.config;

/**
 * The Microsoft fake speaks https with a test CA, and Node reads NODE_EXTRA_CA_CERTS only when a
 * process starts: without it, run this same command again in a child process that trusts it
 * (alongside a CA file already named there). Returns the CA file to use, or undefined when trusted.
 */
function caFileToTrust(): string | undefined {
  const testCa = readFileSync(TEST_CA_PATH, 'utf8');
  const configured = process.env.NODE_EXTRA_CA_CERTS;
  let trusted = '';
  try {
    trusted = configured ? readFileSync(configured, 'utf8') : '';
  } catch {
    // An unreadable file trusts nothing.
  }
  if (trusted.includes(testCa.trim())) return undefined;
  if (!trusted) return TEST_CA_PATH;
  const combined = path.join(tmpdir(), `sandbox-ca-${process.pid}.pem`);
  writeFileSync(combined, `${trusted.trimEnd()}\n${testCa}`);
  return combined;
}

const caFile = SANDBOX_TENANT === 'microsoft' ? caFileToTrust() : undefined;
if (caFile) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  try {
    const sandbox = await startSandbox({
      port: SANDBOX_PORT,
      databaseFile: SANDBOX_DB,
      tenant: SANDBOX_TENANT,
      env: { BOT_TIMEZONE: process.env.BOT_TIMEZONE, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    });
    const what =
      SANDBOX_TENANT === 'microsoft'
        ? `TENANT=microsoft against a local Microsoft 365 at ${sandbox.microsoft?.url}; record in ${SANDBOX_DB}`
        : `demo tenant in ${SANDBOX_DB}`;
    console.info(`Sandbox ready: open ${sandbox.url} (${what}; Ctrl+C stops it).`);
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
}
