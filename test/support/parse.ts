import { AppError } from '../../src/domain/errors.js';
import { parsePurchasesCommand } from '../../src/slack/parse-command.js';

/** What an admin reads when `/purchases <text>` is refused; fails the test if it is accepted. */
export function refusalOf(text: string): string {
  try {
    parsePurchasesCommand(text);
  } catch (error) {
    if (error instanceof AppError) return error.userMessage;
    throw error;
  }
  throw new Error(`expected "${text}" to be refused`);
}
