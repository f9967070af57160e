/** Every modal the bot opens and answers on submit: callback_id -> callback. */
import type { App } from '@slack/bolt';
import { REJECT_VIEW, TAKEOVER_VIEW } from '../../blocks/takeover.js';
import type { SlackDeps } from '../../deps.js';
import { takeoverRejectSubmitCallback } from './takeover-reject.js';
import { takeoverRequestSubmitCallback } from './takeover-request.js';

export function register(app: App, deps: SlackDeps): void {
  app.view(TAKEOVER_VIEW, takeoverRequestSubmitCallback(deps));
  app.view(REJECT_VIEW, takeoverRejectSubmitCallback(deps));
}
