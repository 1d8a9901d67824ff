import type { CycleRecord } from '@stagecraft/engine';

/** A stage that failed, then passed when run again on the same staging SHA. */
export interface FlakyStage {
  stage: string;
  /** What its failing run said. */
  firstSummary: string;
  reruns: number;
}

/**
 * The cycle's flaky stages: the stage runner records a pass after a failure on the same SHA with
 * `details.flake` (and a summary starting "flaky:"), so nobody is blamed for the first failure.
 */
export function flakyStagesOf(record: Pick<CycleRecord, 'stages'>): FlakyStage[] {
  return record.stages.flatMap((s) => {
    if (s.status !== 'succeeded') return [];
    const flake = s.details?.['flake'] as { firstSummary?: unknown; reruns?: unknown } | undefined;
    if (!flake && !s.summary.startsWith('flaky:')) return [];
    return [{ stage: s.stage, firstSummary: typeof flake?.firstSummary === 'string' ? flake.firstSummary : s.summary, reruns: typeof flake?.reruns === 'number' ? flake.reruns : 1 }];
  });
}
