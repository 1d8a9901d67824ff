import { formatDuration } from '../format-duration.js';
import { formatUtcClock } from '../format-utc-clock.js';
import type { PendingCycle } from '../types.js';

/** What a pending cycle's wait reason needs, from the cycle itself or from an explanation of it. */
export type Waiting = Pick<PendingCycle, 'waitingFor' | 'changes' | 'firstChangeAt'> & { at: number };

/**
 * Why a pending cycle runs when it does, as a phrase: decide() puts it on its timers and explain()
 * on the next cycle. `clock` writes the times (UTC by default; `stagecraft status` uses local time).
 */
export function waitReason(
  p: Waiting,
  around: { lastFinishedAt: number | null; runningId: string | null },
  clock: (ms: number) => string = formatUtcClock,
): string {
  switch (p.waitingFor) {
    case 'settle':
      return `settle until ${clock(p.at)} (${p.changes} change${p.changes === 1 ? '' : 's'})`;
    case 'settle-cap':
      return `settle cap: at ${clock(p.at)}, ${formatDuration(p.at - p.firstChangeAt)} after the first change`;
    case 'throttle':
      return around.lastFinishedAt === null
        ? `throttled until ${clock(p.at)}`
        : `throttled until ${clock(p.at)}: the last cycle finished at ${clock(around.lastFinishedAt)}`;
    case 'running-cycle':
      return around.runningId ? `after ${around.runningId} finishes` : 'after the running cycle';
    case 'now':
      return 'now';
    default:
      // A reason from a newer server than this reader: its name is all there is to say.
      return `waiting for ${String(p.waitingFor)}`;
  }
}
