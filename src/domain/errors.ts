/**
 * The one error type the bot raises on purpose. `message` is for logs (may hold ids and
 * internals); `userMessage` is what an admin reads in Slack: what was wrong and what would
 * be right. Listeners turn an AppError into an ephemeral reply in one place.
 */
export type AppErrorCode = 'bad_input' | 'not_found' | 'ambiguous' | 'forbidden' | 'conflict' | 'tenant_unavailable' | 'tenant_forbidden' | 'tenant_rejected';

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly userMessage: string = message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
