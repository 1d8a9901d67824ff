import { describe, expect, it } from '@jest/globals';
import { compareValues, type ComparisonOperator } from './compare-values.js';

describe('compareValues', () => {
  it.each<[unknown, ComparisonOperator, unknown, boolean]>([
    [0, '==', 0, true],
    [1, '==', 0, false],
    ['0', '==', 0, false],
    ['idle', '==', 'idle', true],
    [null, '==', null, true],
    [true, '!=', false, true],
    [0, '!=', 0, false],
    [undefined, '!=', 0, true],
    [0, '<', 1, true],
    [1, '<', 1, false],
    [1, '<=', 1, true],
    [2, '>', 1, true],
    [1, '>', 1, false],
    [1, '>=', 1, true],
    ['3', '>', 1, false],
    [null, '<=', 0, false],
    [undefined, '<', 1, false],
    [Number.NaN, '<', 1, false],
  ])('%p %s %p → %p', (actual, op, expected, result) => {
    expect(compareValues(actual, op, expected)).toBe(result);
  });
});
