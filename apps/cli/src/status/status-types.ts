/** The dashboard's JSON, as `stagecraft status` reads it (GET /api/environments, /api/cycles). */

import type { CycleRecord } from '@stagecraft/engine';
import type { Explanation } from '@stagecraft/policy';
import type { StageResult } from '@stagecraft/queue';

// Cycles are the engine's own records, and an environment is what explain() says of it.
export type { CycleRecord };
export type StageRecord = StageResult;
export type StageStatus = StageResult['status'];

export interface EnvironmentStatus {
  name: string;
  explanation: Explanation;
}

/** Everything `stagecraft status` shows: each environment and its recent cycles, newest first. */
export interface StatusSnapshot {
  environments: EnvironmentStatus[];
  cycles: Record<string, CycleRecord[]>;
}
