/**
 * The policy's vocabulary. `decide(state, event, now)` maps an environment's state and one event
 * to the next state plus the actions the scheduler must apply. Times are epoch milliseconds.
 */

export type CycleKind = 'full' | 'partial';

/** The commands decide() rules on; `status` and `help` only answer (see the command table). */
export type PolicyCommand = 'deploy' | 'trigger' | 'skip';

/** What the scheduler knows about whoever caused an event, resolved from config before decide(). */
export type Role = 'maintainer' | 'trusted' | 'untrusted';

/** Components touched by a change: names from config, or 'all' when the paths are unknown. */
export type ComponentSet = string[] | 'all';

export type CycleTrigger =
  | 'change' // settle after push / PR update
  | 'restart' // a change cancelled a running partial cycle
  | 'deploy-command'
  | 'trigger-command'
  | 'idle-check'
  | 'bisection' // a step of a bisection, or the cycle that follows its verdict
  ;

export type CycleResult = 'succeeded' | 'failed' | 'cancelled';

export interface PolicySettings {
  settleMs: number;
  settleMaxMs: number;
  throttleMs: number;
  fullIntervalMs: number;
  idleCheckMs: number;
  /** How many times a chain of partial cycles may be cancelled and restarted by changes (default 1). */
  maxRestarts: number;
  /** Look for the PR that broke a failed cycle and leave it out (default true). */
  bisect?: boolean;
}

/** Why a pending cycle's start time is what it is. */
export type WaitReason = 'settle' | 'settle-cap' | 'throttle' | 'running-cycle' | 'now';

export interface PendingCycle {
  id: string;
  trigger: CycleTrigger;
  /** Set by commands: trigger → 'full', deploy → 'partial'. null = decided by fullInterval at start. */
  forcedKind: CycleKind | null;
  /** Commands skip settle and throttle. */
  immediate: boolean;
  firstChangeAt: number;
  lastChangeAt: number;
  runAt: number;
  waitingFor: WaitReason;
  /** Restarts already spent by the chain this cycle continues (0 for a fresh cycle). */
  restarts: number;
  changes: number;
  components: ComponentSet;
  rebuild: ComponentSet;
  requestedBy: string | null;
}

export interface RunningCycle {
  id: string;
  kind: CycleKind;
  trigger: CycleTrigger;
  startedAt: number;
  restarts: number;
  components: ComponentSet;
  rebuild: ComponentSet;
  /** A cancel was requested; the cycle still holds the environment until it reports finished. */
  cancelling: boolean;
  /** A step of the bisection of this failed cycle: never cancelled by changes, never counts as full. */
  bisect?: string;
}

export interface EnvState {
  env: string;
  /** Monotonic counter used to mint cycle ids `${env}-${seq}`. */
  seq: number;
  pending: PendingCycle | null;
  running: RunningCycle | null;
  lastStartedAt: number | null;
  /** Finish time of the last cycle that was not cancelled (throttle counts from it). */
  lastFinishedAt: number | null;
  /**
   * Start of the last full cycle whose test kernel ran (fullInterval counts from it): a full
   * cycle that failed before its tests does not count.
   */
  lastFullStartedAt: number | null;
  /** What cycles that ended without deploying still owe staging; the next cycle to start takes it on. */
  carry: Carry | null;
  /** The search for the PR that broke a cycle, while it runs (absent in states stored before it existed). */
  bisection?: Bisection | null;
}

/** A PR at one head, in its repository. */
export interface PrRef {
  repo: string;
  number: number;
  sha: string;
}

/** The stages whose failure a bisection looks into (compose and drain failures are not a PR's doing). */
export type BisectedStage = 'build' | 'deploy' | 'test-kernel';

/**
 * A binary search for the first of `candidates` whose addition to main makes `stage` fail: the
 * smallest failing prefix length lies in (passing, failing]. It ends when failing = passing + 1:
 * candidate `failing - 1` is the culprit, or main alone when failing is 0.
 */
export interface Bisection {
  /** The failed cycle being bisected. */
  origin: string;
  stage: BisectedStage;
  /** In the order the failed cycle merged them. */
  candidates: PrRef[];
  /** Longest prefix known to pass (-1: not even main alone is known to). */
  passing: number;
  /** Shortest prefix known to fail (the origin's: all candidates). */
  failing: number;
  /** The origin's kind, components and rebuilds: each step runs them again. */
  kind: CycleKind;
  components: ComponentSet;
  rebuild: ComponentSet;
  /** The cycles run so far: the prefix each tried and how it ended (null while it runs). */
  steps: Array<{ cycleId: string; size: number; result: 'passed' | 'failed' | null }>;
}

/** Components (and images to rebuild) of cycles that failed or were cancelled before their deploy succeeded. */
export interface Carry {
  components: ComponentSet;
  rebuild: ComponentSet;
}

export type PolicyEvent =
  | {
      type: 'change';
      source: 'push' | 'pull_request';
      sha: string;
      /** The repository the change is in (`owner/name`), and its PR when it is one. */
      repo: string | null;
      pr: number | null;
      /** The author is trusted, or a maintainer approved this head SHA. */
      trusted: boolean;
      components: ComponentSet;
      /** Components whose images must be rebuilt (a subset of components). */
      rebuild: ComponentSet;
    }
  | {
      type: 'command';
      command: PolicyCommand;
      by: string;
      role: Role;
      /** The PR the comment was made on (in repository `repo`), and its current head. */
      repo: string | null;
      pr: number | null;
      sha: string | null;
      /** The PR's author is not trusted: a maintainer's deploy approves this head SHA. */
      prAuthorTrusted: boolean;
      /** The commenter wrote the PR (the command table lets a PR's author skip it). */
      isAuthor: boolean;
    }
  | { type: 'timer-fired'; cycleId: string }
  | {
      type: 'cycle-finished';
      cycleId: string;
      result: CycleResult;
      /** Its deploy stage succeeded: staging runs what it composed. */
      deployed: boolean;
      /** Its test kernel ran to a verdict (passed or failed). */
      tested: boolean;
      /** The stage that failed, when one did. */
      failedStage?: string | null;
      /** The cycle's PRs that may have caused the failure (those touching the failing component, else all), in merge order. */
      candidates?: PrRef[];
    }
  | { type: 'idle-tick' }
  | { type: 'updates-found'; components: ComponentSet; rebuild: ComponentSet };

export interface StartCycle {
  id: string;
  env: string;
  kind: CycleKind;
  trigger: CycleTrigger;
  restarts: number;
  components: ComponentSet;
  rebuild: ComponentSet;
  requestedBy: string | null;
  /** Human-readable: why now, why this kind. */
  reason: string;
  /** A bisection step: compose main (as the failed cycle had it) + exactly these PRs. */
  bisect?: { origin: string; stage: BisectedStage; step: number; maxSteps: number; prs: PrRef[] };
}

export type PolicyAction =
  | { type: 'schedule-timer'; cycleId: string; runAt: number; waitingFor: WaitReason; reason: string }
  | { type: 'start-cycle'; cycle: StartCycle }
  | { type: 'cancel-cycle'; cycleId: string; reason: string }
  | { type: 'approve-head'; repo: string | null; pr: number; sha: string; by: string }
  | { type: 'refuse-command'; command: PolicyCommand; by: string; reason: string }
  /** `skip`: the PR stays out of staging until a maintainer's deploy (the removal is a change). */
  | { type: 'skip-pr'; repo: string | null; pr: number; by: string }
  /** A maintainer's deploy on a PR takes back an earlier `skip`. */
  | { type: 'unskip-pr'; repo: string | null; pr: number }
  | { type: 'ignore-change'; reason: string }
  | { type: 'check-updates' }
  /** A bisection found the PR that broke `origin`: it stays out of staging at this head. */
  | { type: 'exclude-pr'; pr: PrRef; origin: string; stage: BisectedStage; steps: number }
  /** A bisection found that main alone fails: nobody is excluded. */
  | { type: 'blame-main'; origin: string; stage: BisectedStage; steps: number }
  /** A bisection stopped without a verdict (a step was cancelled). */
  | { type: 'bisection-abandoned'; origin: string; reason: string };

export interface Decision {
  state: EnvState;
  actions: PolicyAction[];
}
