/**
 * For tests that start the bot the way main.ts does, on a database file of their own: a Slack
 * emulator and scratch folders, and after each test the bot stopped, the emulator closed and the
 * folders deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { startSlackEmulator, type SlackEmulator, type SlackEmulatorOptions } from '../../src/devkit/slack-emulator/index.js';

export interface OwnFiles {
  /** The bot under test, stopped after the test (set it to undefined once a test stopped it). */
  bot: RunningBot | undefined;
  emulator(options?: SlackEmulatorOptions): Promise<SlackEmulator>;
  /** A new empty folder, deleted after the test. */
  folder(prefix: string): string;
}

export function useOwnFiles(): OwnFiles {
  const emulators: SlackEmulator[] = [];
  const dirs: string[] = [];
  const own: OwnFiles = {
    bot: undefined,
    async emulator(options) {
      const emulator = await startSlackEmulator(options);
      emulators.push(emulator);
      return emulator;
    },
    folder(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
  afterEach(async () => {
    await own.bot?.stop();
    own.bot = undefined;
    for (const emulator of emulators.splice(0)) await emulator.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return own;
}
