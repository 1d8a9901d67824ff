import type { CycleRecord } from '@stagecraft/engine';
import { composeResultsOf } from '@stagecraft/queue';

/** Why compose left a PR out of this cycle's staging, from compose's own report; null if it did not. */
export function leftOutReason(record: CycleRecord, pr: number): string | null {
  const compose = record.stages.find((s) => s.stage === 'compose');
  const results = composeResultsOf(compose?.details);
  const conflict = results?.conflicts?.find((c) => c.number === pr);
  if (conflict) return conflict.with === 'main' ? 'it conflicts with main' : `it conflicts with #${conflict.with}, merged before it`;
  const entry = results?.left?.find((l) => l.number === pr);
  if (entry) return entry.reason;
  if (compose && compose.status === 'succeeded') return 'it was not ready for staging when the cycle composed it';
  return null;
}
