import { InvalidDurationError } from './errors/invalid-duration-error.js';

export const DURATION_UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * "300ms", "5s", "5m", "6h", "1d", "1h30m" → milliseconds. A plain number (or numeric text) is
 * milliseconds already, so YAML `timeout: 1500` and env `…=1500` mean the same.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new InvalidDurationError(text);
    return Math.round(text);
  }
  if (typeof text !== 'string') throw new InvalidDurationError(text);
  const compact = text.trim().toLowerCase();
  if (PLAIN_NUMBER.test(compact)) return Math.round(Number(compact));
  if (!WHOLE.test(compact)) throw new InvalidDurationError(text);
  let ms = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) {
    ms += Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  }
  return Math.round(ms);
}
