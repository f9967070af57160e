import { describe, expect, it } from 'vitest';
import { dateTimeFormatter, daysUntil, daysUntilCounter, describeDaysUntil, formatDateTime, formatDay } from '../../src/domain/dates.js';

describe('dates in the bot time zone', () => {
  const lateEveningUtc = new Date('2026-11-25T23:30:00Z');

  it('shows the calendar day of the configured zone', () => {
    expect(formatDay(lateEveningUtc, 'UTC')).toBe('2026-11-25');
    expect(formatDay(lateEveningUtc, 'Europe/Berlin')).toBe('2026-11-26');
    expect(formatDay(lateEveningUtc, 'America/Los_Angeles')).toBe('2026-11-25');
    expect(formatDateTime(lateEveningUtc, 'Asia/Tokyo')).toBe('2026-11-26 08:30');
  });

  it('counts calendar days, not 24-hour periods, in the zone', () => {
    const now = new Date('2026-11-25T22:00:00Z');
    const expires = new Date('2026-11-26T01:00:00Z');
    expect(daysUntil(expires, now, 'UTC')).toBe(1);
    expect(daysUntil(expires, now, 'America/New_York')).toBe(0);
  });

  it('counts across a daylight-saving change without losing a day', () => {
    const now = new Date('2026-03-28T12:00:00Z');
    const expires = new Date('2026-03-30T12:00:00Z');
    expect(daysUntil(expires, now, 'Europe/Berlin')).toBe(2);
  });

  it('describes the distance in words', () => {
    expect(describeDaysUntil(0)).toBe('today');
    expect(describeDaysUntil(1)).toBe('tomorrow');
    expect(describeDaysUntil(6)).toBe('in 6 days');
    expect(describeDaysUntil(-1)).toBe('yesterday');
    expect(describeDaysUntil(-3)).toBe('3 days ago');
  });

  it('formats many dates and counts their days as formatDateTime and daysUntil do, across daylight-saving changes and odd offsets', () => {
    // Every 7 minutes over two days around each zone's changes (the hour that changes included).
    const windows = [
      ['Europe/Berlin', '2026-03-28T12:00:00Z'],
      ['Europe/Berlin', '2026-10-24T12:00:00Z'],
      ['America/New_York', '2026-11-01T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
      // Lord Howe moves by half an hour, at half past a UTC hour.
      ['Australia/Lord_Howe', '2026-10-03T00:00:00Z'],
      ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
      ['UTC', '2026-06-01T00:00:00Z'],
    ] as const;
    for (const [zone, start] of windows) {
      const format = dateTimeFormatter(zone);
      const now = new Date(new Date(start).getTime() + 60 * 60_000);
      const days = daysUntilCounter(now, zone);
      for (let minutes = 0; minutes < 2 * 24 * 60; minutes += 7) {
        const date = new Date(new Date(start).getTime() + minutes * 60_000 + 13_000);
        expect(format(date), `${zone} ${date.toISOString()}`).toBe(formatDateTime(date, zone));
        expect(days(date), `${zone} ${date.toISOString()}`).toBe(daysUntil(date, now, zone));
      }
    }
  });
});
