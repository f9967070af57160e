import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import * as exportUsers from './actions/export-users.js';
import * as homeButtons from './actions/home-buttons.js';
import * as licensesPage from './actions/licenses-page.js';
import * as listPage from './actions/list-page.js';
import * as policyAll from './actions/policy-all.js';
import * as policySelect from './actions/policy-select.js';
import * as showSubscription from './actions/show-subscription.js';
import * as purchases from './commands/purchases.js';
import * as appHomeOpened from './events/app-home-opened.js';
import * as centralize from './actions/centralize.js';
import * as takeoverDecide from './actions/takeover-decide.js';
import * as takeoverOpen from './actions/takeover-open.js';
import * as takeoverReject from './views/takeover-reject.js';
import * as takeoverRequest from './views/takeover-request.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  for (const listener of [purchases, listPage, licensesPage, showSubscription, exportUsers, appHomeOpened, policySelect, policyAll]) listener.register(app, deps);
  for (const listener of [takeoverOpen, takeoverRequest, takeoverDecide, takeoverReject, centralize]) listener.register(app, deps);
  for (const listener of [homeButtons]) listener.register(app, deps);
}
