import { describe, expect, it } from '@jest/globals';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [449, '0.4s'],
    [12_345, '12.3s'],
    [59_999, '59.9s'],
    [60_000, '1m 00s'],
    [245_000, '4m 05s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
    [86_400_000 * 3 + 3_600_000 * 4, '3d 04h'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
