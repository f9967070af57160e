/**
 * What a failed Slack call means for the admin who is waiting: a sentence that says what
 * happened and what to do, instead of "Something went wrong". Codes are Slack's own
 * (https://docs.slack.dev/reference/methods): a platform error names the refusal, an HTTP error
 * the status, a request error a network failure or the bot's own deadline.
 */
import { AppError } from '../domain/errors.js';

interface SlackCallError {
  code?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
  original?: { name?: unknown; message?: unknown };
}

const INVITE = 'Invite the bot there with `/invite @Purchase Governance`.';

/** Slack's refusal code for a platform error, e.g. `not_in_channel`. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as SlackCallError | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** What Slack's refusal `code` means, and what to do about it. */
export function describeSlackRefusal(code: string): string {
  switch (code) {
    case 'expired_trigger_id':
      return 'Slack allows three seconds to open it, and they had passed (expired_trigger_id). Click the button or run the command again.';
    case 'not_in_channel':
      return `the bot is not a member of that conversation (not_in_channel). ${INVITE}`;
    case 'channel_not_found':
      return `Slack does not let the bot see that conversation (channel_not_found): it may be private or archived. ${INVITE}`;
    case 'is_archived':
      return 'the conversation is archived (is_archived).';
    case 'message_not_found':
    case 'cant_update_message':
      return `the message is gone or can no longer be changed (${code}).`;
    case 'users_not_found':
      return 'nobody in this Slack workspace has that email address (users_not_found).';
    case 'original_not_posted':
      return 'the message it should change was never posted (original_not_posted).';
    case 'missing_scope':
      return 'the Slack app lacks a permission it needs (missing_scope): reinstall it from its manifest.';
    default:
      return `Slack refused the call (${code}).`;
  }
}

/**
 * Why a Slack call failed, as the end of a sentence ("Slack did not answer within 10 s…"), or
 * undefined when `error` is not from a Slack call.
 */
export function slackProblem(error: unknown): string | undefined {
  const e = error as SlackCallError | undefined;
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return describeSlackRefusal(slackErrorCode(error) ?? 'unknown_error');
    case 'slack_webapi_rate_limited_error':
      return `Slack is limiting how often the bot may call it: try again in ${typeof e.retryAfter === 'number' ? `${e.retryAfter} seconds` : 'a minute'}.`;
    case 'slack_webapi_http_error':
      return `Slack answered with an error (HTTP ${String(e.statusCode ?? '?')}). Try again in a moment.`;
    case 'slack_webapi_request_error': {
      const name = e.original?.name;
      if (name === 'TimeoutError') return 'Slack did not answer in time. Try again in a moment.';
      if (name === 'AbortError') return 'the bot is stopping. Try again in a moment.';
      return 'the bot could not reach Slack. Try again in a moment.';
    }
    case 'slack_bolt_respond_error':
      return `Slack refused the reply (HTTP ${String(e.statusCode ?? '?')}): the conversation may be gone. Run the command again.`;
    default:
      return undefined;
  }
}

/** `what` failed because of Slack: an AppError saying so, or the error itself when it is not Slack's. */
export function slackCallFailed(error: unknown, what: string): unknown {
  const problem = slackProblem(error);
  if (!problem) return error;
  return new AppError('tenant_unavailable', `${what}: ${error instanceof Error ? error.message : String(error)}`, `${what}: ${problem}`, { cause: error });
}
