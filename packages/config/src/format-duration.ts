import { DURATION_UNITS_MS } from './parse-duration.js';

/** Milliseconds → the shortest text `parseDuration` reads back to the same value: 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format ${ms} as a duration: expected a non-negative number of milliseconds`);
  let rest = Math.round(ms);
  if (rest === 0) return '0ms';
  let text = '';
  for (const [unit, size] of Object.entries(DURATION_UNITS_MS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}
