import { describe, expect, it } from '@jest/globals';
import { InvalidDurationError } from './errors/invalid-duration-error.js';
import { formatDuration } from '@stagecraft/policy';
import { parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['300ms', 300],
    ['5s', 5_000],
    ['5m', 300_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1m30s250ms', 90_250],
    ['1.5s', 1_500],
    [' 2M ', 120_000],
    ['1500', 1_500],
    ['0', 0],
    [1500, 1500],
    [0, 0],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each<[unknown]>([['five'], [''], ['5x'], ['m5'], ['-5m'], ['5 m'], ['1h 30m'], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [true]])(
    'rejects %p with a message naming the value',
    (text) => {
      expect(() => parseDuration(text as string)).toThrow(InvalidDurationError);
      expect(() => parseDuration(text as string)).toThrow(/expected a duration like "5m", got /);
    },
  );

  it('quotes text in its message', () => {
    expect(() => parseDuration('five')).toThrow('expected a duration like "5m", got "five"');
  });
});

describe('parseDuration reads what formatDuration writes', () => {
  it.each([0, 1, 999, 1000, 1500, 61_000, 90_250, 3_599_999, 86_400_001, 123_456_789])('exactly, for %p ms', (ms) => {
    expect(parseDuration(formatDuration(ms, { exact: true }))).toBe(ms);
  });

  it.each([300, 1500, 90_000, 5_400_000, 1_209_600_000])('in two units, for the round value %p ms', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
