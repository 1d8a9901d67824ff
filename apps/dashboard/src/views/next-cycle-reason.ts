import { formatDuration, type PendingCycle } from '@stagecraft/policy';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Why the next cycle runs when it does and what kind it will be, as a person would say it. */
export function nextCycleReason(
  pending: PendingCycle,
  env: { lastFullStartedAt: number | null; runningId: string | null },
  fullIntervalMs: number,
  now: number,
): { when: string; kind: string } {
  const when = (() => {
    switch (pending.waitingFor) {
      case 'settle':
        return `settle until ${clock(pending.runAt)} UTC`;
      case 'settle-cap':
        return `settle capped: runs at ${clock(pending.runAt)} UTC`;
      case 'throttle':
        return `throttled until ${clock(pending.runAt)} UTC`;
      case 'running-cycle':
        return env.runningId ? `after ${env.runningId} finishes` : 'after the running cycle';
      case 'now':
        return 'now';
    }
  })();
  if (pending.forcedKind === 'full') return { when, kind: 'full cycle: requested by a trigger command' };
  if (pending.forcedKind === 'partial') return { when, kind: 'partial cycle: requested by a deploy command' };
  if (env.lastFullStartedAt === null) return { when, kind: 'full cycle: none has run yet' };
  const since = now - env.lastFullStartedAt;
  return since >= fullIntervalMs
    ? { when, kind: `full cycle: last full ${formatDuration(since)} ago` }
    : { when, kind: `partial cycle: last full ${formatDuration(since)} ago, next full in ${formatDuration(fullIntervalMs - since)}` };
}
