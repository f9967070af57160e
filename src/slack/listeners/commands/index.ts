/** Every slash command the bot answers (manifest.yml declares the same ones). */
import type { App } from '@slack/bolt';
import { PURCHASES_COMMAND } from '../../commands.js';
import type { SlackDeps } from '../../deps.js';
import { purchasesCallback } from './purchases.js';

export function register(app: App, deps: SlackDeps): void {
  app.command(PURCHASES_COMMAND, purchasesCallback(deps));
}
