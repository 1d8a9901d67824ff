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
  /** A promotion cycle deploys this release's images as they are (no compose, no build). */
  release?: CycleRelease | null;
}

/** The release a promotion or rollback cycle deploys. */
export interface CycleRelease {
  id: string;
  /** The promotion request that started the cycle. */
  requestId: string;
  /** component → the image references the source cycle deployed (tag, and digest when reported). */
  images: Record<string, string[]>;
}

export interface RunningStage {
  stage: StageResult['stage'];
  startedAt: number;
  attempt: number;
}
