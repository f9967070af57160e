/**
 * Runs outbox delivery every few seconds, and at once when kicked after an enqueue. Runs never
 * overlap within a process; across replicas the row leases keep each message to one sender.
 */
import type { OutboxSummary } from './deliver.js';

export interface OutboxWorker {
  kick(): void;
  stop(): Promise<void>;
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
          if (summary.sent + summary.failed >= 50) again = true;
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
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
