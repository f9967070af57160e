import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { latestSlot } from '../../src/jobs/slots.js';

const at = (iso: string) => new Date(iso);

describe('the slots of a cron expression in a time zone', () => {
  it('keeps a 09:00 Europe/Berlin job at 09:00 local on both sides of the spring and autumn changes', () => {
    const nine = { cron: '0 9 * * *', timeZone: 'Europe/Berlin' };
    // CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2) until 2026-10-25 03:00.
    expect(latestSlot(nine, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-28T08:00:00Z'));
    expect(latestSlot(nine, at('2026-03-29T12:00:00Z'))).toEqual(at('2026-03-29T07:00:00Z'));
    expect(latestSlot(nine, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-24T07:00:00Z'));
    expect(latestSlot(nine, at('2026-10-25T12:00:00Z'))).toEqual(at('2026-10-25T08:00:00Z'));
  });

  it('keeps a 09:00 America/New_York weekday job at 09:00 local across the change and over the weekend', () => {
    const weekdays = { cron: '0 9 * * 1-5', timeZone: 'America/New_York' };
    // EDT (UTC-4) until 2026-11-01 02:00, then EST (UTC-5).
    expect(latestSlot(weekdays, at('2026-10-30T20:00:00Z'))).toEqual(at('2026-10-30T13:00:00Z'));
    expect(latestSlot(weekdays, at('2026-11-02T13:59:00Z'))).toEqual(at('2026-10-30T13:00:00Z'));
    expect(latestSlot(weekdays, at('2026-11-02T14:00:00Z'))).toEqual(at('2026-11-02T14:00:00Z'));
  });

  it('agrees with node-cron, which fires the job, on every slot it names', () => {
    const schedule = { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' };
    const task = createTask(schedule.cron, () => undefined, { timezone: schedule.timeZone });
    try {
      for (const now of ['2026-03-27T09:00:00Z', '2026-03-30T07:30:00Z', '2026-10-26T08:00:00Z', '2026-12-31T23:59:59Z']) {
        const slot = latestSlot(schedule, at(now))!;
        expect(task.match(slot)).toBe(true);
        expect(slot.getTime()).toBeLessThanOrEqual(at(now).getTime());
      }
    } finally {
      void task.destroy();
    }
  });

  it('skips a local time that the spring change never reaches', () => {
    const halfPastTwo = { cron: '30 2 * * *', timeZone: 'Europe/Berlin' };
    expect(latestSlot(halfPastTwo, at('2026-03-29T12:00:00Z'))).toEqual(at('2026-03-28T01:30:00Z'));
  });

  it('finds the slot exactly at now, and none before it on the day', () => {
    const daily = { cron: '0 9 * * *', timeZone: 'UTC' };
    expect(latestSlot(daily, at('2026-11-25T09:00:00Z'))).toEqual(at('2026-11-25T09:00:00Z'));
    expect(latestSlot(daily, at('2026-11-25T08:59:59.999Z'))).toEqual(at('2026-11-24T09:00:00Z'));
  });
});
