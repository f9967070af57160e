/**
 * The one error path of the Slack layer. An AppError's user message is shown ephemerally;
 * anything else is logged in full with a short reference that the admin sees instead.
 */
import { randomUUID } from 'node:crypto';
import type { Logger, RespondFn, webApi } from '@slack/bolt';
import { AppError, isAppError } from '../domain/errors.js';
import { unescapeSlack } from '../domain/text.js';
import type { SlackMessage } from './blocks/block-kit.js';
import { errorMessage } from './blocks/help.js';
import { slackProblem } from './slack-errors.js';

export function ephemeral(message: SlackMessage, options: { replaceOriginal?: boolean } = {}) {
  return {
    response_type: 'ephemeral' as const,
    replace_original: options.replaceOriginal ?? false,
    text: message.text,
    blocks: message.blocks,
  };
}

export function describeError(error: unknown, logger: Logger): string {
  if (isAppError(error)) return error.userMessage;
  const problem = slackProblem(error);
  if (problem) {
    logger.warn('A call to Slack failed', error);
    return `A call to Slack failed: ${problem}`;
  }
  const ref = randomUUID().slice(0, 8);
  logger.error(`Unexpected error (ref ${ref})`, error);
  return `Something went wrong (ref ${ref}). Please try again; if it keeps happening, give this reference to whoever runs the bot.`;
}

const MENTION = /<@([UW][A-Z0-9]+)>/g;

/**
 * The same, for an error shown on a modal's field: Slack shows those as plain text, so code marks
 * go, escapes are read back, and a mention becomes the person's name instead of a raw `<@U…>`.
 */
export async function describeErrorOnField(error: unknown, logger: Logger, client: webApi.WebClient): Promise<string> {
  const text = describeError(error, logger);
  const names = new Map<string, string>();
  for (const [, id] of text.matchAll(MENTION)) {
    if (names.has(id!)) continue;
    try {
      const { user } = await client.users.info({ user: id! });
      names.set(id!, user?.real_name || user?.name || 'another admin');
    } catch {
      names.set(id!, 'another admin');
    }
  }
  return unescapeSlack(text.replace(MENTION, (_, id: string) => `@${names.get(id)}`).replace(/`/g, ''));
}

/**
 * Runs `work`; an AppError it throws gets `hint` added to its user message: what the command was
 * understood as, when that may be why it failed (e.g. an unquoted name read as a product).
 */
export async function withHint<T>(hint: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!hint || !isAppError(error)) throw error;
    throw new AppError(error.code, error.message, `${error.userMessage}\n${hint}`, { cause: error });
  }
}

/** Runs a listener's work; whatever it throws becomes an ephemeral reply instead of a crash. */
export async function replyingErrors(respond: RespondFn, logger: Logger, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const text = describeError(error, logger);
    try {
      await respond(ephemeral(errorMessage(text)));
    } catch (replyError) {
      logger.error('Could not tell the user about an error', replyError);
    }
  }
}
