import { z } from 'zod';

/** "Fri 16:00": a day of the week and a time of day, in the window's time zone. */
export const WEEK_TIME_PATTERN = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]* ([01]\d|2[0-3]):([0-5]\d)$/i;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const weekTime = z.string().regex(WEEK_TIME_PATTERN, 'expected a day and a time like "Fri 16:00"');

/** A weekly span in which no deploy may start here (e.g. Friday 16:00 to Monday 08:00 in Europe/Berlin). */
export const denyWindowSchema = z.strictObject({
  from: weekTime,
  to: weekTime,
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone like "Europe/Berlin" or "UTC"').default('UTC'),
});
