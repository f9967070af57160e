import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { aProduct } from '../support/builders.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'import', name);

function runImport(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/import.ts', ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, BOT_TIMEZONE: 'UTC' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run import', () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ssp-import-cli-'));
    url = `file:${path.join(dir, 'record.db')}`;
    const database = await createDatabase(url);
    await aProduct(database.prisma, { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro' });
    await aProduct(database.prisma, { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2' });
    await database.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the report, and exits non-zero when rows were refused or nothing could be imported', async () => {
    const good = await runImport([fixture('subscriptions-template.csv')], url);
    expect(good.stdout).toContain('subscriptions-template.csv (subscriptions): 4 rows accepted, 0 refused.');
    expect(good.code).toBe(0);

    const bad = await runImport([fixture('subscriptions-bad-rows.csv')], url);
    expect(bad.stdout).toContain('1 row accepted, 6 refused');
    expect(bad.stdout).toContain('  line 2: "Licenses" must be a whole number of licenses such as 5, not "five"');
    expect(bad.code).toBe(1);

    const unknownProduct = await runImport([fixture('admin-center-licensed-users.csv'), '--product', 'Contoso Widgets'], url);
    expect(unknownProduct.stderr).toContain('Nothing imported: no product "Contoso Widgets" in the record');
    expect(unknownProduct.stderr).not.toMatch(/\n\s+at /);
    expect(unknownProduct.code).toBe(1);
  });
});
