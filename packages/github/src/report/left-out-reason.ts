import type { CycleRecord } from '@stagecraft/engine';

/** Why compose left a PR out of this cycle's staging, from compose's own report; null if it did not. */
export function leftOutReason(record: CycleRecord, pr: number): string | null {
  const compose = record.stages.find((s) => s.stage === 'compose');
  const results = (compose?.details?.['results'] ?? null) as { conflicts?: unknown; left?: unknown } | null;
  const conflicts = Array.isArray(results?.conflicts) ? (results.conflicts as Array<{ number: number; with: 'main' | number }>) : [];
  const conflict = conflicts.find((c) => c.number === pr);
  if (conflict) return conflict.with === 'main' ? 'it conflicts with main' : `it conflicts with #${conflict.with}, merged before it`;
  const left = Array.isArray(results?.left) ? (results.left as Array<{ number: number; reason: string }>) : [];
  const entry = left.find((l) => l.number === pr);
  if (entry) return entry.reason;
  if (compose && compose.status === 'succeeded') return 'it was not ready for staging when the cycle composed it';
  return null;
}
