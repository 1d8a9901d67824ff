import type { BisectedStage, CycleKind, CycleTrigger } from '@stagecraft/policy';
import type { StageResult } from '@stagecraft/queue';
import type { PrHead, WaitingPr } from './pull-request-head.js';

/** What a cycle composes from one repository: its main, and the staging SHA compose made of it. */
export interface RepoHeads {
  repo: string;
  mainSha: string | null;
  stagingSha: string | null;
}

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
  /** The first configured repository's main and staging SHAs (`repos` has every repository's). */
  mainSha: string | null;
  stagingSha: string | null;
  /** One main SHA and one staging SHA per repository, in config order. */
  repos: RepoHeads[];
  prs: PrHead[];
  /**
   * PRs every rule let in but their required checks when the cycle started, with what each waited
   * for or which failed: its report tells them why they are not in it. Absent on older records.
   */
  waiting?: WaitingPr[];
  /** In the order the stages ran; a stage not yet reached is absent. */
  stages: StageResult[];
  /** The stage a worker is running now, if any (cleared when it records its result). */
  runningStage: RunningStage | null;
  cancelReason: string | null;
  /** A promotion cycle deploys this release's images as they are (no compose, no build). */
  release?: CycleRelease | null;
  /** A bisection step: which failed cycle it bisects, and where it is in the search. */
  bisect?: BisectStep | null;
  /** A failed cycle that was bisected: its steps and verdict (the dashboard shows them as a tree). */
  bisection?: BisectionRecord | null;
}

export interface BisectStep {
  origin: string;
  stage: BisectedStage;
  step: number;
  maxSteps: number;
}

export interface BisectionRecord {
  stage: BisectedStage;
  /** The cycle's PRs that may have broken it, in merge order. */
  candidates: PrHead[];
  /** Each step: the cycle, the PRs it added to main, how it ended (null while it runs). */
  steps: Array<{ cycleId: string; prs: PrHead[]; result: 'passed' | 'failed' | 'cancelled' | null }>;
  /** The culprit PR, main alone, or no verdict (a step was cancelled); null while it runs. */
  verdict: { kind: 'pr'; pr: PrHead } | { kind: 'main' } | { kind: 'abandoned'; reason: string } | null;
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
