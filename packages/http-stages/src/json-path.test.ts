import { describe, expect, it } from '@jest/globals';
import { readJsonPath } from './json-path.js';

const DOC = { queue: { pending: 0, names: ['a', 'b'] }, items: [{ status: 'done', 'run-id': 7 }, null], 'x$': true, nothing: null };

describe('readJsonPath', () => {
  it.each<[string, unknown]>([
    ['$', DOC],
    ['$.queue.pending', 0],
    ['$.queue.names[1]', 'b'],
    ['$.items[0].status', 'done'],
    ['$.items[0].run-id', 7],
    ['$.items[1]', null],
    ['$.x$', true],
    ['$.nothing', null],
  ])('%s', (path, value) => {
    expect(readJsonPath(DOC, path)).toEqual({ found: true, value });
  });

  it.each([
    ['$.queue.running'],
    ['$.queue.names[2]'],
    ['$.queue.pending.count'],
    ['$.items.status'],
    ['$.nothing.more'],
    ['$.queue[0]'],
    ['$.toString'],
  ])('%s is not found', (path) => {
    expect(readJsonPath(DOC, path)).toEqual({ found: false });
  });

  it.each([
    ['queue.pending', 'invalid JSON path "queue.pending": it must start with "$"; write it like "$.queue.pending" or "$.items[0].status"'],
    ['$.queue..pending', 'invalid JSON path "$.queue..pending": cannot read "..pending"; write it like "$.queue.pending" or "$.items[0].status"'],
    ['$.items[*]', 'invalid JSON path "$.items[*]": cannot read "[*]"; write it like "$.queue.pending" or "$.items[0].status"'],
    ['$.missing[x]', 'invalid JSON path "$.missing[x]": cannot read "[x]"; write it like "$.queue.pending" or "$.items[0].status"'],
  ])('rejects %s', (path, message) => {
    expect(() => readJsonPath(DOC, path)).toThrow(message);
  });
});
