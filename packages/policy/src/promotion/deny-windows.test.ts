import { denyWindowAt, nextDeployTime, zonedMinuteOfWeek } from './deny-windows.js';

const weekend = { from: 'Fri 16:00', to: 'Mon 08:00', timeZone: 'Europe/Berlin' };

describe('deny windows', () => {
  it('reads the wall clock in the window\'s zone', () => {
    // 2024-06-07 is a Friday; 14:30 UTC is 16:30 in Berlin (CEST).
    expect(zonedMinuteOfWeek(Date.parse('2024-06-07T14:30:00Z'), 'Europe/Berlin')).toBe(4 * 1440 + 16 * 60 + 30);
    expect(zonedMinuteOfWeek(Date.parse('2024-06-07T14:30:00Z'), 'UTC')).toBe(4 * 1440 + 14 * 60 + 30);
  });

  it('lets a deploy go outside the window', () => {
    const now = Date.parse('2024-06-07T13:59:00Z'); // Fri 15:59 Berlin
    expect(nextDeployTime(now, [weekend])).toEqual({ at: now, window: null });
  });

  it('delays a deploy inside the window to its end, across the week boundary', () => {
    const now = Date.parse('2024-06-07T14:00:30Z'); // Fri 16:00:30 Berlin
    expect(denyWindowAt(now, [weekend])).toBe(weekend);
    expect(nextDeployTime(now, [weekend])).toEqual({ at: Date.parse('2024-06-10T06:00:00Z'), window: weekend }); // Mon 08:00 Berlin
  });

  it('ends at the wall-clock time across a DST change', () => {
    // The weekend of 2024-03-31: Berlin moves from CET (+1) to CEST (+2) on Sunday.
    const now = Date.parse('2024-03-29T16:00:00Z'); // Fri 17:00 CET
    expect(nextDeployTime(now, [weekend]).at).toBe(Date.parse('2024-04-01T06:00:00Z')); // Mon 08:00 CEST
  });

  it('follows windows that run into each other', () => {
    const night = { from: 'Mon 05:00', to: 'Mon 10:00', timeZone: 'UTC' }; // the weekend ends Mon 06:00 UTC, inside this one
    const now = Date.parse('2024-06-08T12:00:00Z'); // Sat
    expect(nextDeployTime(now, [weekend, night])).toEqual({ at: Date.parse('2024-06-10T10:00:00Z'), window: weekend });
  });
});
