import type { CycleKind, EnvState, PendingCycle, PolicySettings, RunningCycle } from '../types.js';
import { afterBisectionReason, explainBisection, type BisectionExplanation } from './explain-bisection.js';
import { kindFor } from './kind-for.js';
import { waitReason } from './wait-reason.js';

export interface NextCycleExplanation extends Pick<PendingCycle, 'id' | 'waitingFor' | 'trigger' | 'changes' | 'firstChangeAt' | 'requestedBy'> {
  /** When it is due (a cycle waiting for the running one runs once that one ends, not before this). */
  at: number;
  /** Why it runs then, with UTC times. */
  reason: string;
  /** The kind it gets if it starts at `at`. */
  kind: CycleKind;
  kindReason: string;
}

export type RunningCycleExplanation = Pick<RunningCycle, 'id' | 'kind' | 'trigger' | 'startedAt' | 'restarts' | 'cancelling' | 'bisect'>;

/** What runs on an environment, what runs next, when, why then and why full or partial. */
export interface Explanation {
  env: string;
  running: RunningCycleExplanation | null;
  next: NextCycleExplanation | null;
  lastFinishedAt: number | null;
  lastFullStartedAt: number | null;
  /** The search for the PR that broke a failed cycle, while it runs (changes wait for its verdict); absent from older servers. */
  bisection?: BisectionExplanation | null;
}

/** The scheduling rules applied to an environment's state at `now`, for people to read. */
export function explain(state: EnvState, settings: PolicySettings, now: number): Explanation {
  const r = state.running;
  const p = state.pending;
  const running: RunningCycleExplanation | null = r
    ? { id: r.id, kind: r.kind, trigger: r.trigger, startedAt: r.startedAt, restarts: r.restarts, cancelling: r.cancelling, ...(r.bisect ? { bisect: r.bisect } : {}) }
    : null;
  const bisection = explainBisection(state);
  let next: NextCycleExplanation | null = null;
  if (p) {
    const { kind, reason: kindReason } = kindFor(state, p, Math.max(now, p.runAt), settings);
    next = {
      id: p.id,
      at: p.runAt,
      waitingFor: p.waitingFor,
      // A bisection runs its steps one after another: the cycle waits for the verdict, not for one step.
      reason:
        bisection && p.waitingFor === 'running-cycle'
          ? afterBisectionReason(bisection)
          : waitReason({ ...p, at: p.runAt }, { lastFinishedAt: state.lastFinishedAt, runningId: r?.id ?? null }),
      kind,
      kindReason,
      trigger: p.trigger,
      changes: p.changes,
      firstChangeAt: p.firstChangeAt,
      requestedBy: p.requestedBy,
    };
  }
  return { env: state.env, running, next, lastFinishedAt: state.lastFinishedAt, lastFullStartedAt: state.lastFullStartedAt, bisection };
}
