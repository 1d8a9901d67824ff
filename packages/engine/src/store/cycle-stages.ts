import type { CycleKind } from '@stagecraft/policy';
import { STAGE_NAMES, type StageName } from '@stagecraft/queue';

/** A full cycle also runs the test kernel; a partial one stops after deploy. */
export function cycleStages(kind: CycleKind): StageName[] {
  return kind === 'full' ? [...STAGE_NAMES] : STAGE_NAMES.filter((s) => s !== 'test-kernel');
}

/** The stages a cycle runs: a promotion deploys a release's images as they are, so no compose or build. */
export function stagesOfCycle(record: { kind: CycleKind; release?: unknown }): StageName[] {
  const stages = cycleStages(record.kind);
  return record.release ? stages.filter((s) => s !== 'compose' && s !== 'build') : stages;
}
