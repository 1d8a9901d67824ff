import type { Explanation, PendingCycle, RunningCycle } from '@stagecraft/policy';

/** One environment as GET /api/environments shows it. */
export interface EnvironmentStatus {
  name: string;
  running: RunningCycle | null;
  pending: PendingCycle | null;
  lastFinishedAt: number | null;
  lastFullStartedAt: number | null;
  /** explain() of the state: when the next cycle runs, why then, and why full or partial. */
  explanation: Explanation;
}
