import { describe, expect, it } from '@jest/globals';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.4, '0ms'],
    [300, '300ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1234, '1.234s'],
    [9_999, '9.999s'],
    [10_000, '10s'],
    [12_345, '12s'],
    [59_600, '1m'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [245_000, '4m5s'],
    [3_600_000, '1h'],
    [3_630_000, '1h'],
    [5_400_000, '1h30m'],
    [7_199_000, '1h59m'],
    [21_600_000, '6h'],
    [86_400_000, '1d'],
    [273_600_000, '3d4h'],
    [90_061_001, '1d1h'],
    [-1, '–'],
    [Number.NaN, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%p ms → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0, '0ms'],
    [1500, '1.5s'],
    [90_250, '1m30.25s'],
    [3_630_000, '1h30s'],
    [90_061_001, '1d1h1m1.001s'],
    [1_209_600_000, '14d'],
  ])('exactly: %p ms → %p', (ms, text) => {
    expect(formatDuration(ms, { exact: true })).toBe(text);
  });
});
