import { STAGE_NAMES, type StageName } from '@stagecraft/queue';
import type { CycleRecord } from './status-types.js';

/**
 * The stage a running cycle is in: the first of its kind's stages without a result yet (a
 * partial cycle stops after deploy). null when every stage has reported and the cycle is finishing.
 */
export function currentStage(cycle: Pick<CycleRecord, 'kind' | 'stages'>): StageName | null {
  const done = new Set(cycle.stages.map((s) => s.stage));
  const stages = cycle.kind === 'full' ? STAGE_NAMES : STAGE_NAMES.filter((s) => s !== 'test-kernel');
  return stages.find((s) => !done.has(s)) ?? null;
}
