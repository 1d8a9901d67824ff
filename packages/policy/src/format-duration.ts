const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * Milliseconds as people and `parseDuration` read them: 300 → "300ms", 1500 → "1.5s",
 * 90_000 → "1m30s", 5_400_000 → "1h30m", 273_600_000 → "3d4h".
 *
 * By default only the two largest units are shown, from 10 s on rounded to the second, since a
 * running cycle's "1h2m" says all that matters. Below 10 s the milliseconds stay: a 1.5 s throttle
 * is "1.5s", not "2s". `exact` keeps every unit down to the millisecond, so the text reads back to
 * the same value (the config printer needs that). A negative or non-finite value (a clock that
 * went backwards, a missing time) is "–".
 */
export function formatDuration(ms: number, options: { exact?: boolean } = {}): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  let rest = Math.round(ms);
  if (rest < 1000) return `${rest}ms`;
  if (!options.exact && rest >= 10_000) rest = Math.round(rest / 1000) * 1000;
  const amounts = UNITS.map(([unit, size], i) => {
    // Seconds carry what is left below them as a fraction (1.5s, 1m30.25s).
    const amount = i === UNITS.length - 1 ? rest / size : Math.floor(rest / size);
    rest -= Math.floor(amount) * size;
    return [unit, amount] as const;
  });
  const first = amounts.findIndex(([, amount]) => amount > 0);
  const shown = options.exact ? amounts.slice(first) : amounts.slice(first, first + 2);
  return shown
    .filter(([, amount]) => amount > 0)
    .map(([unit, amount]) => `${amount}${unit}`)
    .join('');
}
