import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker processes, not threads: Node reads extra CAs only when a process starts, and the
    // workers need the test CA that signs the local fake Microsoft sign-in and licensing server
    // (src/devkit/microsoft-fake/tls).
    pool: 'forks',
    env: { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./src/devkit/microsoft-fake/tls/ca.pem', import.meta.url)) },
    // The tests wait about half the time (PostgreSQL, HTTP between the bot and the emulators,
    // child processes), so one worker more than there are cores. vitest's default is one less,
    // which is a single worker on two cores.
    maxWorkers: availableParallelism() + 1,
    // A worker runs its files one after the other in one module graph instead of loading Bolt,
    // Prisma and the rest again for each file (that was a third of the CPU time of a run). No
    // test mocks modules; state lives in what a test creates, not in module variables.
    isolate: false,
    // Limits for a hung test, not for a slow one: on a busy machine a test that starts child
    // processes (the Prisma tooling, the bot refusing bad settings) can take many seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Migrates the template databases once per run (test/support/database.ts copies them).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
