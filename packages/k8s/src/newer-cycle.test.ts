import { describe, expect, it } from '@jest/globals';
import { isNewerCycle, type CycleMark } from './newer-cycle.js';

const mark = (id: string, startedAt: number | null = null): CycleMark => ({ id, startedAt });

describe('isNewerCycle', () => {
  it.each<[string, CycleMark, CycleMark, boolean]>([
    ['a later start', mark('staging-12', 2000), mark('staging-11', 1000), true],
    ['an earlier start', mark('staging-11', 1000), mark('staging-12', 2000), false],
    ['numbering started again: the start time wins', mark('staging-57', 1000), mark('staging-1', 2000), false],
    ['no start times: a higher number', mark('staging-10'), mark('staging-9'), true],
    ['no start times: a lower number', mark('staging-9'), mark('staging-10', 5), false],
    ['the same cycle', mark('staging-3', 2000), mark('staging-3', 1000), false],
    ['another environment without start times', mark('production-9'), mark('staging-3'), false],
  ])('%s', (_name, other, mine, expected) => {
    expect(isNewerCycle(other, mine)).toBe(expected);
  });
});
