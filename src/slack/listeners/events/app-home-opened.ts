/** App Home: admins get their view; anyone else a short explanation and no data. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { adminHome, nonAdminHome } from '../../views/home.js';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    try {
      const view = (await deps.admins.isAdmin(event.user)) ? adminHome() : nonAdminHome();
      await client.views.publish({ user_id: event.user, view });
    } catch (error) {
      logger.error('Could not publish the App Home', error);
    }
  });
}
