/**
 * The README promises Node.js 20.19 or later (package.json `engines`). Every package npm installs
 * must accept that version, or `npm install` warns EBADENGINE on a supported Node.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('the Node versions the packages accept', () => {
  it('includes the oldest Node the README promises, for every installed package', () => {
    const oldest = semver.minVersion(manifest.engines.node)!.version;
    expect(oldest).toBe('20.19.0');
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return node && !semver.satisfies(oldest, node) ? [`${path}@${entry.version} wants node ${node}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
