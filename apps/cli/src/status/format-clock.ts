/**
 * A point in time as `14:05:09`, or `2025-11-24 14:05` when it is not on the same day as `now`
 * (in `timeZone`; the machine's own when undefined).
 */
export function formatClock(at: number, now: number, timeZone?: string): string {
  const parts = (t: number) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(t)
        .map((p) => [p.type, p.value]),
    ) as Record<string, string>;
  const a = parts(at);
  const n = parts(now);
  const sameDay = a['year'] === n['year'] && a['month'] === n['month'] && a['day'] === n['day'];
  return sameDay ? `${a['hour']}:${a['minute']}:${a['second']}` : `${a['year']}-${a['month']}-${a['day']} ${a['hour']}:${a['minute']}`;
}
