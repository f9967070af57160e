/**
 * Global middleware: only admins get past it. Every command, button, select and view
 * submission is checked, not just the command that posted a message — anyone who can see a
 * message can press its buttons. A request must name exactly one well-formed user id (a command's
 * `user_id`, an interaction's `user.id`): one without it, with it twice, or with something that is
 * not a Slack user id is refused as well, never run with an empty actor. Refusals are polite,
 * ephemeral and audited. Events pass through: their listeners decide what a non-admin sees
 * (e.g. App Home); any other kind of request is refused.
 */
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import { SLACK_USER_ID } from '../../config.js';
import { recordAccessDenied } from '../../services/audit.js';
import type { SlackDeps } from '../deps.js';
import { mrkdwn, plain } from '../blocks/text.js';
import { slackProblem } from '../slack-errors.js';

export const REFUSAL = 'Sorry, only purchase-governance admins can use this. Ask an admin of the bot if you need access.';
export const UNIDENTIFIED_REFUSAL = 'This request was refused: it did not carry exactly one valid Slack user id, so the bot cannot tell who sent it.';
/** The audit log's actor for a request that named nobody (or several people, or garbage). */
export const UNIDENTIFIED_ACTOR = 'unidentified';

type AttemptKind = 'command' | 'action' | 'view' | 'shortcut';
type Attempt = { kind: AttemptKind; name: string } & ({ userId: string } | { problem: string });

const INTERACTIONS: Record<string, AttemptKind> = {
  block_actions: 'action',
  block_suggestion: 'action',
  view_submission: 'view',
  view_closed: 'view',
  shortcut: 'shortcut',
  message_action: 'shortcut',
};

/** What is wrong with a request's user id, or the id itself. */
function userIdOf(value: unknown): { userId: string } | { problem: string } {
  if (value === undefined || value === null || value === '') return { problem: 'no user id' };
  if (Array.isArray(value)) return { problem: `${value.length} user ids` };
  if (typeof value !== 'string') return { problem: `a user id of type ${typeof value}` };
  if (!SLACK_USER_ID.test(value) || value.length > 32) return { problem: 'a malformed user id' };
  return { userId: value };
}

/** A name for the audit log: short, and only what was sent as a string. */
function nameOf(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 120) : fallback;
}

function attemptOf(body: Record<string, unknown>): Attempt | 'event' | undefined {
  if ('command' in body) {
    const sub = typeof body.text === 'string' ? (body.text.trim().split(/\s+/)[0] ?? '') : '';
    return { kind: 'command', name: `${nameOf(body.command, 'command')} ${sub.slice(0, 40)}`.trim(), ...userIdOf(body.user_id) };
  }
  if (body.type === 'event_callback') return 'event';
  const kind = typeof body.type === 'string' ? INTERACTIONS[body.type] : undefined;
  if (!kind) return undefined;
  const user = typeof body.user === 'object' && body.user !== null && !Array.isArray(body.user) ? (body.user as Record<string, unknown>) : {};
  const actions = Array.isArray(body.actions) ? (body.actions as Array<{ action_id?: unknown }>) : [];
  const view = typeof body.view === 'object' && body.view !== null ? (body.view as { callback_id?: unknown }) : {};
  const name =
    kind === 'action'
      ? body.type === 'block_actions'
        ? actions.map((a) => nameOf(a?.action_id, '?')).join(',') || 'block_actions'
        : nameOf(body.action_id, 'block_suggestion')
      : kind === 'view'
        ? nameOf(view.callback_id, String(body.type))
        : nameOf(body.callback_id, String(body.type));
  return { kind, name, ...userIdOf(user.id) };
}

export function authorizeAdmins(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = (typeof args.body === 'object' && args.body !== null ? args.body : {}) as Record<string, unknown>;
    const attempt = attemptOf(body);
    if (attempt === 'event') {
      await args.next();
      return;
    }
    if (attempt === undefined) {
      args.logger.warn(`Refused a request of unknown kind ${nameOf(body.type, '(none)')}`);
      await refuse(args, args.logger, body, { kind: 'action', name: nameOf(body.type, 'unknown'), problem: 'unknown kind' }, UNIDENTIFIED_REFUSAL);
      return;
    }
    if ('userId' in attempt) {
      let admin: boolean;
      try {
        admin = await deps.admins.isAdmin(attempt.userId);
      } catch (error) {
        // The user group could not be read: refuse, and say that it is the check that failed.
        args.logger.warn(`Could not check whether ${attempt.userId} is an admin`, error);
        await refuse(
          args,
          args.logger,
          body,
          attempt,
          `The bot could not check whether you are an admin: ${slackProblem(error) ?? 'an unexpected error. Try again in a moment.'}`,
        );
        await recordAccessDenied(deps.context(), { slackUserId: attempt.userId }, attempt, 'the admin check failed');
        return;
      }
      if (admin) {
        await args.next();
        return;
      }
    }
    const actor = 'userId' in attempt ? attempt.userId : UNIDENTIFIED_ACTOR;
    args.logger.info(
      `Refused ${attempt.kind} ${attempt.name} from ${'userId' in attempt ? `non-admin ${attempt.userId}` : `a request with ${attempt.problem}`}`,
    );
    await refuse(args, args.logger, body, attempt, 'userId' in attempt ? REFUSAL : UNIDENTIFIED_REFUSAL);
    await recordAccessDenied(deps.context(), { slackUserId: actor }, attempt, 'problem' in attempt ? attempt.problem : undefined);
  };
}

/**
 * Global middleware sees the union of every request kind, so `ack` is the union of their
 * signatures; each branch below has narrowed the kind by the body, and calls `ack` through
 * this loose type with the payload that kind of request takes.
 */
type LooseAck = (response?: unknown) => Promise<void>;

async function refuse(args: AnyMiddlewareArgs, logger: Logger, body: Record<string, unknown>, attempt: Attempt, text: string): Promise<void> {
  const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as LooseAck) : undefined;
  if (attempt.kind === 'command' && ack) {
    await ack({ response_type: 'ephemeral', text });
    return;
  }
  if (body.type === 'view_submission' && ack) {
    await ack({
      response_action: 'update',
      view: {
        type: 'modal',
        title: plain('Not allowed', 24),
        close: plain('Close', 24),
        blocks: [{ type: 'section', text: mrkdwn(text) }],
      },
    });
    return;
  }
  if (body.type === 'block_suggestion' && ack) {
    await ack({ options: [] });
    return;
  }
  if (ack) await ack();
  if ('respond' in args && typeof args.respond === 'function') {
    try {
      await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    } catch (error) {
      logger.warn('Could not tell a refused user why', error);
    }
  }
}
