import { compareCycleIds } from './cycle-order.js';

export interface CycleMark {
  id: string;
  /** When the cycle started (ms), if known. */
  startedAt: number | null;
}

/**
 * Whether `other` is a newer cycle than `mine`. Start times decide when both are known (they keep
 * their order even if the cycle numbering starts again, e.g. after Redis lost its state); else
 * the cycle numbers of one environment do. The same cycle, or cycles that cannot be compared, are
 * not newer.
 */
export function isNewerCycle(other: CycleMark, mine: CycleMark): boolean {
  if (other.id === mine.id) return false;
  if (other.startedAt !== null && mine.startedAt !== null) return other.startedAt > mine.startedAt;
  return (compareCycleIds(other.id, mine.id) ?? 0) > 0;
}
