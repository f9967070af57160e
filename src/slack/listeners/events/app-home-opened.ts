/** App Home: admins get the dashboard; anyone else a short explanation and no data. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { publishHome } from '../../app-home.js';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(client, deps, event.user);
    } catch (error) {
      logger.error('Could not publish the App Home', error);
    }
  });
}
