import type { CycleKind } from '@stagecraft/policy';
import { STAGE_NAMES, type StageName } from '@stagecraft/queue';

/** A full cycle also runs the test kernel; a partial one stops after deploy. */
export function cycleStages(kind: CycleKind): StageName[] {
  return kind === 'full' ? [...STAGE_NAMES] : STAGE_NAMES.filter((s) => s !== 'test-kernel');
}
