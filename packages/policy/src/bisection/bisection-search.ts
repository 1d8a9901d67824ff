import type { BisectedStage, Bisection, ComponentSet, CycleKind, PrRef } from '../types.js';

/** The stages a bisection looks into. */
export const BISECTED_STAGES: readonly BisectedStage[] = ['build', 'deploy', 'test-kernel'];

export function isBisectedStage(stage: string | null | undefined): stage is BisectedStage {
  return (BISECTED_STAGES as readonly string[]).includes(stage ?? '');
}

/**
 * The most cycles a bisection of n candidates runs: the failing prefix length is one of n + 1
 * (0 = main alone … n, known to fail), so ⌈log2(n + 1)⌉ halvings find it (≤ ⌈log2 n⌉ + 1).
 */
export function maxBisectionSteps(candidates: number): number {
  return Math.ceil(Math.log2(candidates + 1));
}

export function newBisection(origin: { id: string; kind: CycleKind; components: ComponentSet; rebuild: ComponentSet }, stage: BisectedStage, candidates: PrRef[]): Bisection {
  return { origin: origin.id, stage, candidates, passing: -1, failing: candidates.length, kind: origin.kind, components: origin.components, rebuild: origin.rebuild, steps: [] };
}

/** Whether the search is over: the failing prefix is pinned down. */
export function isConcluded(b: Bisection): boolean {
  return b.failing - b.passing <= 1;
}

/** The prefix length the next step tries: halfway between what passes and what fails. */
export function nextPrefix(b: Bisection): number {
  return Math.floor((b.passing + b.failing) / 2);
}

/** The search after the step run as `cycleId` ended. */
export function recordStep(b: Bisection, cycleId: string, passed: boolean): Bisection {
  const step = b.steps.find((s) => s.cycleId === cycleId);
  if (!step) return b;
  return {
    ...b,
    passing: passed ? Math.max(b.passing, step.size) : b.passing,
    failing: passed ? b.failing : Math.min(b.failing, step.size),
    steps: b.steps.map((s) => (s.cycleId === cycleId ? { ...s, result: passed ? 'passed' : 'failed' } : s)),
  };
}

/** The PR whose addition makes the stage fail, or null when main alone fails. Only for a concluded search. */
export function culpritOf(b: Bisection): PrRef | null {
  return b.failing === 0 ? null : b.candidates[b.failing - 1]!;
}
