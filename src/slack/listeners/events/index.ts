/** Every Events API event the bot listens to (manifest.yml subscribes to the same ones). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appHomeOpenedCallback } from './app-home-opened.js';
import { fileSharedCallback } from './file-shared.js';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', appHomeOpenedCallback(deps));
  // message.im: files shared in the app's DM (for /purchases import).
  app.event('message', fileSharedCallback(deps));
}
