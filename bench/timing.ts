/** Runs a measure: warm-up, then timed runs (up to a count or a time budget), median and p95. */
import type { Kind, Measure } from './measures.js';

export interface Timing {
  runs: number;
  median: number;
  p95: number;
}

export type Outcome = Timing | { error: string };

const PLAN: Record<Kind, { warmup: number; runs: number; budgetMs: number }> = {
  interactive: { warmup: 2, runs: 20, budgetMs: 20_000 },
  selection: { warmup: 1, runs: 7, budgetMs: 40_000 },
  write: { warmup: 0, runs: 5, budgetMs: 60_000 },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { runs: sorted.length, median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? 'failed').slice(0, 160);
}

/** Times `work` (with `reset` before each run, untimed); at least 3 runs, then until the budget is spent. */
export async function time(kind: Kind, work: () => Promise<unknown>, reset?: () => Promise<void>): Promise<Outcome> {
  const plan = PLAN[kind];
  const times: number[] = [];
  try {
    for (let i = 0; i < plan.warmup; i++) {
      await reset?.();
      await work();
    }
    const started = performance.now();
    while (times.length < plan.runs && (times.length < 3 || performance.now() - started < plan.budgetMs)) {
      await reset?.();
      const t0 = performance.now();
      await work();
      times.push(performance.now() - t0);
    }
    return summarize(times);
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    await reset?.();
  }
}

export function timeMeasure(measure: Measure, which: 'bot' | 'floor'): Promise<Outcome> {
  return time(measure.kind, () => measure[which](), measure.reset ? () => measure.reset!() : undefined);
}
