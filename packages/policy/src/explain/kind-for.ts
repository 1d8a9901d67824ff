import { formatDuration } from '../format-duration.js';
import type { CycleKind, EnvState, PendingCycle, PolicySettings } from '../types.js';

/**
 * Whether a pending cycle that starts at `at` is full or partial, and why: the one rule decide()
 * applies when the cycle starts and explain() applies to the cycle that is next.
 */
export function kindFor(
  state: Pick<EnvState, 'lastFullStartedAt' | 'running'>,
  pending: Pick<PendingCycle, 'forcedKind'>,
  at: number,
  s: Pick<PolicySettings, 'fullIntervalMs'>,
): { kind: CycleKind; reason: string } {
  if (pending.forcedKind === 'full') return { kind: 'full', reason: 'full: requested by a trigger command' };
  if (pending.forcedKind === 'partial') return { kind: 'partial', reason: 'partial: requested by a deploy command' };
  // A full cycle still running counts as the last full one: a cycle can only start once it finished,
  // and then it counts if its tests ran (decide() sets lastFullStartedAt when they did).
  const lastFull = state.running?.kind === 'full' && !state.running.bisect ? state.running.startedAt : state.lastFullStartedAt;
  if (lastFull === null) return { kind: 'full', reason: 'full: no full cycle has run yet' };
  const since = at - lastFull;
  const interval = formatDuration(s.fullIntervalMs);
  if (since >= s.fullIntervalMs) {
    return { kind: 'full', reason: `full: the last full cycle started ${formatDuration(since)} before this one (fullInterval ${interval})` };
  }
  return { kind: 'partial', reason: `partial: the last full cycle started ${formatDuration(since)} before this one, within fullInterval ${interval}` };
}
