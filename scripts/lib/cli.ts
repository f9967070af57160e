/** What the scripts of scripts/ share to run as commands. */

/** A mistake of the person running the script: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a script's main function with the command-line arguments and exits with its code. A
 * UsageError prints its message alone; any other error its stack (exit code 1). The exit is
 * explicit: database pools and the schema engine must not keep a finished command alive.
 */
export function runCommand(main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(error.message);
        process.exit(2);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
