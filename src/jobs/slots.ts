/**
 * The scheduled instants ("slots") of a cron expression in a time zone, computed from the clock
 * we are given rather than the real one: node-cron decides when to wake up, but the slot a run
 * claims, and the slot missed while the bot was down, come from here, so every replica names the
 * same slot the same way. A slot is a local wall-clock time (09:00 in BOT_TIMEZONE), turned into
 * an instant with the zone's offset on that day, so daylight saving moves the UTC instant, not
 * the local time. A local time that does not exist that day (skipped by a spring-forward change)
 * has no slot, as in node-cron, whose own matcher has the last word on every candidate.
 */
import { TZDate } from '@date-fns/tz';
import { createTask, parse, type ScheduledTask } from 'node-cron';

/** How far back a missed slot is looked for: a yearly job is still caught up. */
const LOOKBACK_DAYS = 400;

export interface CronSchedule {
  cron: string;
  timeZone: string;
}

function matcherFor(schedule: CronSchedule): { task: ScheduledTask; times: Array<[number, number, number]> } {
  const fields = parse(schedule.cron);
  const times: Array<[number, number, number]> = [];
  for (const hour of [...fields.hour].sort((a, b) => b - a)) {
    for (const minute of [...fields.minute].sort((a, b) => b - a)) {
      for (const second of [...fields.second].sort((a, b) => b - a)) times.push([hour, minute, second]);
    }
  }
  // A task that is never started: only its matcher is used, then it is destroyed.
  const task = createTask(schedule.cron, () => undefined, { timezone: schedule.timeZone });
  return { task, times };
}

/** The latest slot at or before `now`, or undefined if there was none within LOOKBACK_DAYS. */
export function latestSlot(schedule: CronSchedule, now: Date): Date | undefined {
  const { task, times } = matcherFor(schedule);
  try {
    const today = new TZDate(now, schedule.timeZone);
    for (let back = 0; back <= LOOKBACK_DAYS; back++) {
      const day = new TZDate(today.getFullYear(), today.getMonth(), today.getDate() - back, schedule.timeZone);
      for (const [hour, minute, second] of times) {
        const candidate = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute, second, schedule.timeZone);
        if (candidate.getHours() !== hour || candidate.getMinutes() !== minute) continue; // not on this day's clock
        const instant = new Date(candidate.getTime());
        if (instant <= now && task.match(instant)) return instant;
      }
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}
