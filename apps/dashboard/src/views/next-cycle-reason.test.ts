import { describe, expect, it } from '@jest/globals';
import type { PendingCycle } from '@stagecraft/policy';
import { nextCycleReason } from './next-cycle-reason.js';

const NOW = Date.UTC(2026, 10, 25, 14, 0);
const H = 3_600_000;
const pending = (over: Partial<PendingCycle>): PendingCycle => ({
  id: 'staging-4',
  trigger: 'change',
  forcedKind: null,
  immediate: false,
  firstChangeAt: NOW,
  lastChangeAt: NOW,
  runAt: Date.UTC(2026, 10, 25, 14, 31),
  waitingFor: 'settle',
  restarts: 0,
  changes: 1,
  components: 'all',
  rebuild: 'all',
  requestedBy: null,
  ...over,
});

describe('nextCycleReason', () => {
  it.each<[string, Partial<PendingCycle>, number | null, string | null, { when: string; kind: string }]>([
    ['settling', {}, NOW - H, null, { when: 'settle until 14:31 UTC', kind: 'partial cycle: last full 1h ago, next full in 5h' }],
    ['throttled', { waitingFor: 'throttle', runAt: Date.UTC(2026, 10, 25, 15, 0) }, NOW - 6 * H, null, { when: 'throttled until 15:00 UTC', kind: 'full cycle: last full 6h ago' }],
    ['behind a running cycle', { waitingFor: 'running-cycle' }, null, 'staging-3', { when: 'after staging-3 finishes', kind: 'full cycle: none has run yet' }],
    ['a trigger', { waitingFor: 'now', forcedKind: 'full' }, NOW, null, { when: 'now', kind: 'full cycle: requested by a trigger command' }],
  ])('%s', (_name, over, lastFull, runningId, expected) => {
    expect(nextCycleReason(pending(over), { lastFullStartedAt: lastFull, runningId }, 6 * H, NOW)).toEqual(expected);
  });
});
