import { describe, expect, it } from '@jest/globals';
import { compareCycleIds } from './cycle-order.js';

describe('compareCycleIds', () => {
  it.each<[string, string, string, 'newer' | 'older' | 'same' | null]>([
    ['a later number', 'staging-12', 'staging-11', 'newer'],
    ['numbers, not text', 'staging-10', 'staging-9', 'newer'],
    ['an earlier number', 'staging-9', 'staging-10', 'older'],
    ['the same id', 'staging-3', 'staging-3', 'same'],
    ['a dashed environment name', 'eu-west-staging-4', 'eu-west-staging-3', 'newer'],
    ['another environment', 'production-40', 'staging-3', null],
    ['an id of another form', 'manual', 'staging-3', null],
  ])('%s', (_name, a, b, expected) => {
    const result = compareCycleIds(a, b);
    expect(result === null ? null : result > 0 ? 'newer' : result < 0 ? 'older' : 'same').toBe(expected);
  });
});
