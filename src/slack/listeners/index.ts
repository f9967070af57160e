import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import * as exportUsers from './actions/export-users.js';
import * as homeButtons from './actions/home-buttons.js';
import * as listPage from './actions/list-page.js';
import * as showSubscription from './actions/show-subscription.js';
import * as purchases from './commands/purchases.js';
import * as appHomeOpened from './events/app-home-opened.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  for (const listener of [purchases, listPage, showSubscription, exportUsers, appHomeOpened, homeButtons]) listener.register(app, deps);
}
