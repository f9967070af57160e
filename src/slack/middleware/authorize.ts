/**
 * Global middleware: only admins get past it. Every command, button, select and view
 * submission is checked, not just the command that posted a message — anyone who can see a
 * message can press its buttons. Refusals are polite, ephemeral and audited.
 * Events pass through: their listeners decide what a non-admin sees (e.g. App Home).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { recordAccessDenied } from '../../services/audit.js';
import type { SlackDeps } from '../deps.js';
import { mrkdwn, plain } from '../blocks/text.js';

export const REFUSAL =
  'Sorry, only purchase-governance admins can use this. Ask an admin of the bot if you need access.';

type Attempt = { kind: 'command' | 'action' | 'view' | 'shortcut'; name: string; userId: string };

function attemptOf(args: AnyMiddlewareArgs): Attempt | undefined {
  const body = args.body as Record<string, unknown> & {
    type?: string;
    command?: string;
    text?: string;
    user_id?: string;
    user?: { id?: string };
    actions?: Array<{ action_id?: string }>;
    view?: { callback_id?: string };
    callback_id?: string;
    action_id?: string;
  };
  if (typeof body.command === 'string' && typeof body.user_id === 'string') {
    const sub = (body.text ?? '').trim().split(/\s+/)[0] ?? '';
    return { kind: 'command', name: `${body.command} ${sub}`.trim(), userId: body.user_id };
  }
  const userId = body.user?.id;
  if (!userId) return undefined;
  switch (body.type) {
    case 'block_actions':
      return { kind: 'action', name: body.actions?.map((a) => a.action_id).join(',') ?? 'block_actions', userId };
    case 'block_suggestion':
      return { kind: 'action', name: body.action_id ?? 'block_suggestion', userId };
    case 'view_submission':
    case 'view_closed':
      return { kind: 'view', name: body.view?.callback_id ?? body.type, userId };
    case 'shortcut':
    case 'message_action':
      return { kind: 'shortcut', name: body.callback_id ?? body.type, userId };
    default:
      return undefined;
  }
}

export function authorizeAdmins(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const attempt = attemptOf(args);
    if (!attempt) {
      await args.next();
      return;
    }
    if (await deps.admins.isAdmin(attempt.userId)) {
      await args.next();
      return;
    }
    args.logger.info(`Refused ${attempt.kind} ${attempt.name} from non-admin ${attempt.userId}`);
    await refuse(args, attempt);
    await recordAccessDenied(deps.context(), { slackUserId: attempt.userId }, attempt);
  };
}

/**
 * Global middleware sees the union of every request kind, so `ack` is the union of their
 * signatures; each branch below has narrowed the kind by the body, and calls `ack` through
 * this loose type with the payload that kind of request takes.
 */
type LooseAck = (response?: unknown) => Promise<void>;

async function refuse(args: AnyMiddlewareArgs, attempt: Attempt): Promise<void> {
  const body = args.body as { type?: string };
  const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as LooseAck) : undefined;
  if (attempt.kind === 'command' && ack) {
    await ack({ response_type: 'ephemeral', text: REFUSAL });
    return;
  }
  if (body.type === 'view_submission' && ack) {
    await ack({
      response_action: 'update',
      view: {
        type: 'modal',
        title: plain('Not allowed', 24),
        close: plain('Close', 24),
        blocks: [{ type: 'section', text: mrkdwn(REFUSAL) }],
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
    await args.respond({ response_type: 'ephemeral', replace_original: false, text: REFUSAL });
  }
}
