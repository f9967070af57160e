/**
 * Runs outbox delivery every few seconds, and at once when kicked after an enqueue. Runs never
 * overlap within a process; across replicas the row leases keep each message to one sender.
 */
import { BATCH_SIZE, type OutboxSummary } from './deliver.js';

export interface OutboxWorker {
  kick(): void;
  /**
   * Starts no new run and waits up to `graceMs` for the one in flight; resolves true when it
   * finished. A run still going then is left to the abort of its Slack calls (bot.ts).
   */
  stop(graceMs?: number): Promise<boolean>;
}

export function startOutboxWorker(options: {
  deliver: (now: Date) => Promise<OutboxSummary>;
  clock: () => Date;
  intervalMs?: number;
  onError: (error: unknown) => void;
}): OutboxWorker {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const summary = await options.deliver(options.clock());
          // A full batch may mean more is due: go on without waiting for the timer.
          if (summary.sent + summary.failed >= BATCH_SIZE) again = true;
        } while (again && !stopped);
      } catch (error) {
        options.onError(error);
      } finally {
        running = undefined;
      }
    })();
  };

  const timer = setInterval(run, options.intervalMs ?? 2_000);
  timer.unref();
  return {
    kick: run,
    async stop(graceMs = 5_000) {
      stopped = true;
      clearInterval(timer);
      const inFlight = running;
      if (!inFlight) return true;
      let deadline: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        inFlight.then(() => true),
        new Promise<boolean>((resolve) => {
          deadline = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(deadline);
      return finished;
    },
  };
}
