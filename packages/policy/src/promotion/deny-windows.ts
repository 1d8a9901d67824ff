/** A weekly span ("Fri 16:00" to "Mon 08:00") in an IANA time zone in which nothing deploys. */
export interface DenyWindow {
  from: string;
  to: string;
  timeZone: string;
}

const MINUTES_PER_WEEK = 7 * 24 * 60;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Fri 16:00" → minutes since Monday 00:00. */
export function minuteOfWeek(weekTime: string): number {
  const match = /^([a-z]{3})[a-z]* (\d{1,2}):(\d{2})$/i.exec(weekTime.trim());
  const day = match ? DAYS.indexOf(match[1]!.toLowerCase()) : -1;
  if (!match || day < 0) throw new Error(`expected a day and a time like "Fri 16:00", got "${weekTime}"`);
  return day * 24 * 60 + Number(match[2]) * 60 + Number(match[3]);
}

/** The wall-clock minute of the week at `at` in `timeZone` (Intl does the zone and DST arithmetic). */
export function zonedMinuteOfWeek(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(part('weekday').toLowerCase().slice(0, 3));
  return day * 24 * 60 + Number(part('hour')) * 60 + Number(part('minute'));
}

function inside(minute: number, from: number, to: number): boolean {
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The window `at` falls in, or null. */
export function denyWindowAt(at: number, windows: readonly DenyWindow[]): DenyWindow | null {
  return windows.find((w) => inside(zonedMinuteOfWeek(at, w.timeZone), minuteOfWeek(w.from), minuteOfWeek(w.to))) ?? null;
}

/** When `window`, which `at` is inside, ends (to the minute, in its zone, across a DST change). */
function windowEnd(at: number, window: DenyWindow): number {
  const startOfMinute = at - (at % 60_000);
  const target = minuteOfWeek(window.to);
  let end = startOfMinute + ((target - zonedMinuteOfWeek(at, window.timeZone) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK) * 60_000;
  // Offsets moved in between (DST): correct by what the wall clock at `end` says, at most twice.
  for (let i = 0; i < 2; i++) {
    let drift = target - zonedMinuteOfWeek(end, window.timeZone);
    if (drift > MINUTES_PER_WEEK / 2) drift -= MINUTES_PER_WEEK;
    if (drift < -MINUTES_PER_WEEK / 2) drift += MINUTES_PER_WEEK;
    if (drift === 0) break;
    end += drift * 60_000;
  }
  return Math.max(end, at + 1);
}

/**
 * The earliest time from `now` at which no deny window holds: `now` itself when none does, else
 * the end of the window (and of any window that one runs into), with the window that delayed it.
 */
export function nextDeployTime(now: number, windows: readonly DenyWindow[]): { at: number; window: DenyWindow | null } {
  let at = now;
  let first: DenyWindow | null = null;
  for (let i = 0; i < 16; i++) {
    const window = denyWindowAt(at, windows);
    if (!window) return { at, window: first };
    first ??= window;
    at = windowEnd(at, window);
  }
  return { at, window: first };
}
