/** App Home: admins get the dashboard; anyone else a short explanation and no data. */
import { publishHome } from '../../app-home.js';
import type { SlackDeps } from '../../deps.js';
import type { EventArgs } from '../args.js';

export function appHomeOpenedCallback(deps: SlackDeps) {
  return async ({ event, client, logger }: EventArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(client, deps, event.user);
    } catch (error) {
      logger.error('Could not publish the App Home', error);
    }
  };
}
