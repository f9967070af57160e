/** Every Events API event the bot listens to (manifest.yml subscribes to the same ones). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appHomeOpenedCallback } from './app-home-opened.js';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', appHomeOpenedCallback(deps));
}
