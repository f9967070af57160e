import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import * as exportUsers from './actions/export-users.js';
import * as listPage from './actions/list-page.js';
import * as policyAll from './actions/policy-all.js';
import * as policySelect from './actions/policy-select.js';
import * as showSubscription from './actions/show-subscription.js';
import * as purchases from './commands/purchases.js';
import * as appHomeOpened from './events/app-home-opened.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  for (const listener of [purchases, listPage, showSubscription, exportUsers, appHomeOpened, policySelect, policyAll]) listener.register(app, deps);
}
