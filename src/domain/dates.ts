/** Dates shown to admins are calendar dates in the bot's time zone (BOT_TIMEZONE). */
import { TZDate, tzOffset } from '@date-fns/tz';
import { differenceInCalendarDays, format } from 'date-fns';

export function formatDay(date: Date, timeZone: string): string {
  return format(new TZDate(date, timeZone), 'yyyy-MM-dd');
}

export function formatDateTime(date: Date, timeZone: string): string {
  return format(new TZDate(date, timeZone), 'yyyy-MM-dd HH:mm');
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The zone's offset (minutes) at many instants, looked up once per hour of UTC time instead of
 * once per instant, which is what date math in a zone costs. null for an hour in which the
 * offset changes: the caller works that instant out the slow way.
 */
function offsetsOf(timeZone: string): (date: Date) => number | null {
  const offsets = new Map<number, number | null>();
  return (date) => {
    const hour = Math.floor(date.getTime() / HOUR_MS);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const start = tzOffset(timeZone, new Date(hour * HOUR_MS));
      offset = start === tzOffset(timeZone, new Date((hour + 1) * HOUR_MS - 1)) && !Number.isNaN(start) ? start : null;
      offsets.set(hour, offset);
    }
    return offset;
  };
}

/** formatDateTime for many dates (an export's rows). */
export function dateTimeFormatter(timeZone: string): (date: Date) => string {
  const offsetAt = offsetsOf(timeZone);
  return (date) => {
    const offset = offsetAt(date);
    if (offset === null) return formatDateTime(date, timeZone);
    const local = new Date(date.getTime() + offset * 60_000);
    return `${String(local.getUTCFullYear()).padStart(4, '0')}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  };
}

/** daysUntil(date, now, timeZone) for many dates (a reminder run's subscriptions). */
export function daysUntilCounter(now: Date, timeZone: string): (date: Date) => number {
  const offsetAt = offsetsOf(timeZone);
  const localDay = (date: Date, offset: number) => Math.floor((date.getTime() + offset * 60_000) / DAY_MS);
  const nowOffset = offsetAt(now);
  if (nowOffset === null) return (date) => daysUntil(date, now, timeZone);
  const today = localDay(now, nowOffset);
  return (date) => {
    const offset = offsetAt(date);
    return offset === null ? daysUntil(date, now, timeZone) : localDay(date, offset) - today;
  };
}

/** Whole calendar days from `now` to `date` in the zone: 0 = today, 1 = tomorrow, -1 = yesterday. */
export function daysUntil(date: Date, now: Date, timeZone: string): number {
  return differenceInCalendarDays(new TZDate(date, timeZone), new TZDate(now, timeZone));
}

export function describeDaysUntil(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}
