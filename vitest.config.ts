import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Migrates the template databases once per run (test/support/database.ts copies them).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Node reads extra CAs only when a process starts: forked workers get the test CA that
    // signs the local fake Microsoft sign-in and licensing server (src/devkit/microsoft-fake/tls).
    env: { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./src/devkit/microsoft-fake/tls/ca.pem', import.meta.url)) },
  },
});
