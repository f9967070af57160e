/**
 * Which workspace and app a request comes from. With SLACK_TEAM_ID / SLACK_APP_ID set, a request
 * signed with this app's secret but sent for another workspace (an org-wide install) or by
 * another app sharing the secret is refused, in HTTP mode by the receiver and in Socket Mode by
 * the first middleware.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

export interface ExpectedOrigin {
  teamId?: string | undefined;
  appId?: string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The workspace a request names: `team_id` (commands, events) or `team.id` (interactions). */
function teamOf(body: Record<string, unknown>): string | undefined {
  return text(body.team_id) ?? text(field(body.team, 'id')) ?? text(field(body.user, 'team_id')) ?? text(field(body.view, 'team_id'));
}

/** Why the request is not for this workspace or app; undefined when it is (or nothing is configured). */
export function foreignOrigin(body: Record<string, unknown>, expected: ExpectedOrigin): string | undefined {
  if (expected.teamId) {
    const team = teamOf(body);
    if (team !== expected.teamId) return `request for workspace ${team ?? '(none)'}, not SLACK_TEAM_ID ${expected.teamId}`;
  }
  if (expected.appId) {
    const app = text(body.api_app_id);
    if (app !== expected.appId) return `request for app ${app ?? '(none)'}, not SLACK_APP_ID ${expected.appId}`;
  }
  return undefined;
}

/** Socket Mode: acknowledges and drops a request from another workspace or app. */
export function refuseForeignOrigin(expected: ExpectedOrigin): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = (typeof args.body === 'object' && args.body !== null ? args.body : {}) as Record<string, unknown>;
    const foreign = foreignOrigin(body, expected);
    if (!foreign) {
      await args.next();
      return;
    }
    args.logger.warn(`Refused a request: ${foreign}`);
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
