import { describe, expect, it } from '@jest/globals';
import { unseenLogLines } from './unseen-log-lines.js';

const L = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('unseenLogLines', () => {
  it.each([
    { case: 'nothing streamed', read: L(0, 5), streamed: 0, recent: [], limit: 100, unseen: L(0, 5) },
    { case: 'whole log, stream broke after 2', read: L(0, 5), streamed: 2, recent: L(0, 2), limit: 100, unseen: L(2, 5) },
    { case: 'whole log, all streamed', read: L(0, 5), streamed: 5, recent: L(0, 5), limit: 100, unseen: [] },
    { case: 'whole log shorter than streamed', read: L(0, 3), streamed: 5, recent: L(0, 5), limit: 100, unseen: [] },
    { case: 'repeated lines in a whole log are counted, not matched', read: ['.', '.', '.', 'done'], streamed: 2, recent: ['.', '.'], limit: 100, unseen: ['.', 'done'] },
    { case: 'log end overlapping the streamed lines', read: L(6, 10), streamed: 8, recent: L(5, 8), limit: 4, unseen: L(8, 10) },
    { case: 'log end fully streamed', read: L(6, 10), streamed: 10, recent: L(7, 10), limit: 4, unseen: [] },
    { case: 'log end past a gap', read: L(20, 24), streamed: 8, recent: L(5, 8), limit: 4, unseen: L(20, 24) },
    { case: 'log end of exactly the limit, streamed from its start', read: L(0, 4), streamed: 2, recent: L(0, 2), limit: 4, unseen: L(2, 4) },
  ])('$case', ({ read, streamed, recent, limit, unseen }) => {
    expect(unseenLogLines(read, streamed, recent, limit)).toEqual(unseen);
  });
});
