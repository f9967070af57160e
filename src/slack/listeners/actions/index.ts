/** Every button, select and overflow the bot answers: action id -> callback. */
import type { App } from '@slack/bolt';
import { ACTIONS, TAKEOVER_ACTIONS } from '../../blocks/action-ids.js';
import type { SlackDeps } from '../../deps.js';
import { centralizeAskCallback, centralizeAssignCallback, savingsCentralizeCallback } from './centralize.js';
import { exportProductCallback, exportSubscriptionCallback } from './export-users.js';
import { homeDigestCallback, homeRefreshCallback } from './home-buttons.js';
import { importFileCallback } from './import-file.js';
import { licensesPageCallback } from './licenses-page.js';
import { listPageCallback } from './list-page.js';
import { policyAllCancelCallback, policyAllConfirmCallback } from './policy-all.js';
import { policySelectCallback } from './policy-select.js';
import { showSubscriptionCallback } from './show-subscription.js';
import { linkButtonCallback, takeoverApproveCallback, takeoverMarkedCancelledCallback, takeoverRejectCallback } from './takeover-decide.js';
import { takeoverOpenCallback } from './takeover-open.js';
import { takeoverWithdrawCallback } from './takeover-withdraw.js';

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.listPrev, listPageCallback(deps));
  app.action(ACTIONS.listNext, listPageCallback(deps));
  app.action(ACTIONS.licensesPrev, licensesPageCallback(deps));
  app.action(ACTIONS.licensesNext, licensesPageCallback(deps));
  app.action(ACTIONS.showSubscription, showSubscriptionCallback(deps));
  app.action(ACTIONS.exportSubscription, exportSubscriptionCallback(deps));
  app.action(ACTIONS.exportProduct, exportProductCallback(deps));
  app.action(ACTIONS.policySelect, policySelectCallback(deps));
  app.action(ACTIONS.policyAllConfirm, policyAllConfirmCallback(deps));
  app.action(ACTIONS.policyAllCancel, policyAllCancelCallback);
  app.action(ACTIONS.takeover, takeoverOpenCallback(deps));
  app.action(TAKEOVER_ACTIONS.approve, takeoverApproveCallback(deps));
  app.action(TAKEOVER_ACTIONS.reject, takeoverRejectCallback(deps));
  app.action(TAKEOVER_ACTIONS.markedCancelled, takeoverMarkedCancelledCallback(deps));
  app.action(TAKEOVER_ACTIONS.adminCenterLink, linkButtonCallback);
  app.action(TAKEOVER_ACTIONS.withdraw, takeoverWithdrawCallback(deps));
  app.action(TAKEOVER_ACTIONS.centralizeAssign, centralizeAssignCallback(deps));
  app.action(TAKEOVER_ACTIONS.centralizeAsk, centralizeAskCallback(deps));
  app.action(ACTIONS.homeRefresh, homeRefreshCallback(deps));
  app.action(ACTIONS.homeDigest, homeDigestCallback(deps));
  app.action(ACTIONS.importFile, importFileCallback(deps));
  app.action(ACTIONS.savingsCentralize, savingsCentralizeCallback(deps));
}
