import { maxBisectionSteps } from '../bisection/bisection-search.js';
import type { BisectedStage, EnvState } from '../types.js';

/** A bisection that is running, as people read it. */
export interface BisectionExplanation {
  /** The failed cycle it looks into. */
  origin: string;
  stage: BisectedStage;
  /** The step running now, or the last one run (steps start one right after another). */
  step: number;
  maxSteps: number;
  candidates: number;
  /** The step's cycle while it runs; null between a step's end and the next one's start. */
  runningCycle: string | null;
  /** "bisecting staging-12's deploy failure: step 2 of at most 3". */
  reason: string;
}

/** What the environment's running bisection is doing, or null when none runs. */
export function explainBisection(state: Pick<EnvState, 'bisection' | 'running'>): BisectionExplanation | null {
  const b = state.bisection;
  if (!b) return null;
  const step = Math.max(b.steps.length, 1);
  const maxSteps = maxBisectionSteps(b.candidates.length);
  return {
    origin: b.origin,
    stage: b.stage,
    step,
    maxSteps,
    candidates: b.candidates.length,
    runningCycle: state.running?.bisect === b.origin ? state.running.id : null,
    reason: `bisecting ${b.origin}'s ${b.stage} failure: step ${step} of at most ${maxSteps}`,
  };
}

/** Why a cycle waiting behind a bisection waits: for the verdict, not for the step that runs now. */
export function afterBisectionReason(b: Pick<BisectionExplanation, 'origin' | 'reason'>): string {
  return `after the bisection of ${b.origin} gives its verdict (${b.reason})`;
}
