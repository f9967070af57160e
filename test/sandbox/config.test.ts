import { describe, expect, it } from 'vitest';
import { loadSandboxConfig } from '../../src/sandbox/config.js';

describe('the sandbox settings', () => {
  it('default to port 3000 and data/sandbox.db, apart from the real bot’s database', () => {
    expect(loadSandboxConfig({})).toEqual({ ok: true, config: { SANDBOX_PORT: 3000, SANDBOX_TENANT: 'local', SANDBOX_DB: './data/sandbox.db' } });
    expect(loadSandboxConfig({ SANDBOX_PORT: ' ', SANDBOX_DB: '' })).toEqual({
      ok: true,
      config: { SANDBOX_PORT: 3000, SANDBOX_TENANT: 'local', SANDBOX_DB: './data/sandbox.db' },
    });
  });

  it('take a port and a file from the environment', () => {
    expect(loadSandboxConfig({ SANDBOX_PORT: '4000', SANDBOX_DB: '/tmp/try.db' })).toEqual({
      ok: true,
      config: { SANDBOX_PORT: 4000, SANDBOX_TENANT: 'local', SANDBOX_DB: '/tmp/try.db' },
    });
  });

  it('run against the Microsoft 365 emulator with SANDBOX_TENANT=microsoft, in a file of its own', () => {
    expect(loadSandboxConfig({ SANDBOX_TENANT: 'microsoft' })).toEqual({
      ok: true,
      config: { SANDBOX_PORT: 3000, SANDBOX_TENANT: 'microsoft', SANDBOX_DB: './data/sandbox-microsoft.db' },
    });
    expect(loadSandboxConfig({ SANDBOX_TENANT: 'azure' })).toEqual({ ok: false, message: expect.stringContaining('SANDBOX_TENANT must be local') });
  });

  it('name a bad port and say what would be right', () => {
    const loaded = loadSandboxConfig({ SANDBOX_PORT: 'eighty' });
    expect(loaded).toEqual({ ok: false, message: expect.stringContaining('SANDBOX_PORT must be a port number') });
    expect(loadSandboxConfig({ SANDBOX_PORT: '70000' })).toEqual({ ok: false, message: expect.stringContaining('SANDBOX_PORT must be between 0 and 65535') });
  });
});
