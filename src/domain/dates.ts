/** Dates shown to admins are calendar dates in the bot's time zone (BOT_TIMEZONE). */
import { TZDate } from '@date-fns/tz';
import { differenceInCalendarDays, format } from 'date-fns';

export function formatDay(date: Date, timeZone: string): string {
  return format(new TZDate(date, timeZone), 'yyyy-MM-dd');
}

export function formatDateTime(date: Date, timeZone: string): string {
  return format(new TZDate(date, timeZone), 'yyyy-MM-dd HH:mm');
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
