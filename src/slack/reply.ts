/**
 * The one error path of the Slack layer. An AppError's user message is shown ephemerally;
 * anything else is logged in full with a short reference that the admin sees instead.
 */
import { randomUUID } from 'node:crypto';
import type { Logger, RespondFn } from '@slack/bolt';
import { isAppError } from '../domain/errors.js';
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
