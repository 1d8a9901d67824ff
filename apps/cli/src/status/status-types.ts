/** The dashboard's JSON, as `stagecraft status` reads it (GET /api/environments, /api/cycles). */

import type { CycleRecord } from '@stagecraft/engine';
import type { StageResult } from '@stagecraft/queue';

// Cycles are the engine's own records; the environment view below stays tolerant of fields and
// wait reasons a newer server may add.
export type { CycleRecord };
export type StageRecord = StageResult;
export type StageStatus = StageResult['status'];

export interface RunningCycleStatus {
  id: string;
  kind: 'full' | 'partial';
  trigger: string;
  startedAt: number;
  restarts: number;
  cancelling?: boolean;
}

export interface PendingCycleStatus {
  id: string;
  runAt: number;
  waitingFor: string;
  trigger: string;
  changes?: number;
  forcedKind?: 'full' | 'partial' | null;
}

export interface EnvironmentStatus {
  name: string;
  running: RunningCycleStatus | null;
  pending: PendingCycleStatus | null;
  lastFinishedAt: number | null;
  lastFullStartedAt: number | null;
}

/** Everything `stagecraft status` shows: each environment and its recent cycles, newest first. */
export interface StatusSnapshot {
  environments: EnvironmentStatus[];
  cycles: Record<string, CycleRecord[]>;
}
