import { describe, expect, it } from 'vitest';
import { daysUntil, describeDaysUntil, formatDateTime, formatDay } from '../../src/domain/dates.js';

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
});
