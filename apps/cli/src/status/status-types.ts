/** The dashboard's JSON, as `stagecraft status` reads it (GET /api/environments, /api/cycles). */

export type StageStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StageRecord {
  stage: string;
  status: StageStatus;
  startedAt: number;
  finishedAt: number;
  summary: string;
  attempt: number;
  details: Record<string, unknown> | null;
  outputTail: string[];
}

export interface CycleRecord {
  id: string;
  env: string;
  kind: 'full' | 'partial';
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  trigger: string;
  reason: string;
  requestedBy: string | null;
  restarts: number;
  startedAt: number;
  finishedAt: number | null;
  components: string[];
  rebuild: string[];
  mainSha: string | null;
  stagingSha: string | null;
  prs: Array<{ number: number; sha: string }>;
  stages: StageRecord[];
  cancelReason: string | null;
}

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
