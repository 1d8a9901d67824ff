import type { CycleRecord } from './status-types.js';

const ORDER = ['compose', 'build', 'drain', 'deploy', 'test-kernel'];

/**
 * The stage a running cycle is in: the first of its kind's stages without a result yet (a
 * partial cycle stops after deploy). null when every stage has reported and the cycle is finishing.
 */
export function currentStage(cycle: Pick<CycleRecord, 'kind' | 'stages'>): string | null {
  const done = new Set(cycle.stages.map((s) => s.stage));
  const stages = cycle.kind === 'full' ? ORDER : ORDER.filter((s) => s !== 'test-kernel');
  return stages.find((s) => !done.has(s)) ?? null;
}
