/**
 * The layer rules of .dependency-cruiser.cjs (README, "Development"): src/ keeps them, and a fixture
 * tree that breaks each rule once is caught exactly there, so a rule that stops matching fails here.
 */
import { resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Each violation as "rule: from → to", sorted. */
async function violations(baseDir: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(resolve(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(resolve(ROOT, 'tsconfig.json'));
  const result = await cruise(['src'], { ...options, baseDir, validate: true }, undefined, { tsConfig });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the layer rules', () => {
  it('hold in src/', async () => {
    expect(await violations(ROOT)).toEqual([]);
  });

  it('each catch their one break in the fixture tree, and nothing it is allowed to do', async () => {
    expect(await violations(resolve(ROOT, 'test/fixtures/layer-violations'))).toEqual([
      'devkit-only-in-sandbox: src/bot.ts → src/devkit/emulator.ts',
      'domain-is-pure: src/domain/rule.ts → src/services/list.ts',
      'generated-only-in-db: src/tenant/read.ts → src/db/generated/client.ts',
      'no-circular: src/outbox/a.ts → src/outbox/b.ts',
      'no-slack-below-slack: src/services/list.ts → src/slack/reply.ts',
      'slack-not-jobs: src/slack/reply.ts → src/jobs/digest.ts',
      'slack-not-repositories: src/slack/show.ts → src/db/repositories/people.ts',
    ]);
  });
});
