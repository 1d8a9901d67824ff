import type { CycleKind, CycleTrigger } from '@stagecraft/policy';
import type { StageResult } from '@stagecraft/queue';

export type CycleState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A cycle as the status API and the notifier show it. */
export interface CycleRecord {
  id: string;
  env: string;
  kind: CycleKind;
  state: CycleState;
  trigger: CycleTrigger;
  reason: string;
  requestedBy: string | null;
  restarts: number;
  startedAt: number;
  finishedAt: number | null;
  /** Components deployed, and those whose images were rebuilt. */
  components: string[];
  rebuild: string[];
  mainSha: string | null;
  stagingSha: string | null;
  prs: Array<{ number: number; sha: string }>;
  /** In the order the stages ran; a stage not yet reached is absent. */
  stages: StageResult[];
  /** The stage a worker is running now, if any (cleared when it records its result). */
  runningStage: RunningStage | null;
  cancelReason: string | null;
}

export interface RunningStage {
  stage: StageResult['stage'];
  startedAt: number;
  attempt: number;
}
