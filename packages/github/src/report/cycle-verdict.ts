import type { CycleRecord } from '@stagecraft/engine';
import { cycleStages } from '@stagecraft/engine';
import { flakyStagesOf } from './flaky-stages.js';

export interface CycleVerdict {
  phase: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  /** One line a person reads first. */
  headline: string;
  /** The stage that failed, with what it said. */
  failedStage: { stage: string; summary: string } | null;
}

/** Where a cycle stands, as GitHub's check-run vocabulary and one human line. */
export function cycleVerdict(record: CycleRecord): CycleVerdict {
  const failed = record.stages.find((s) => s.status === 'failed') ?? null;
  const failedStage = failed ? { stage: failed.stage, summary: failed.summary } : null;
  const kind = `${record.kind} cycle ${record.id}`;
  switch (record.state) {
    case 'running': {
      if (!record.runningStage && record.stages.length === 0) return { phase: 'queued', conclusion: null, headline: `⏳ ${kind} is queued`, failedStage };
      const stage = record.runningStage?.stage ?? nextStage(record);
      return { phase: 'in_progress', conclusion: null, headline: `⏳ ${kind} is running${stage ? ` (${stage})` : ''}`, failedStage };
    }
    case 'succeeded': {
      // A stage that passed only on its re-run says so up front: it passed, and nobody is blamed.
      const flaky = flakyStagesOf(record).map((f) => f.stage);
      const note = flaky.length ? ` (${flaky.join(', ')} flaky, passed on the re-run)` : '';
      return { phase: 'completed', conclusion: 'success', headline: `✅ ${kind} deployed to ${record.env}${note}`, failedStage };
    }
    case 'cancelled':
      return { phase: 'completed', conclusion: 'cancelled', headline: `⛔ ${kind} was cancelled${record.cancelReason ? `: ${record.cancelReason}` : ''}`, failedStage };
    case 'failed':
      return {
        phase: 'completed',
        conclusion: 'failure',
        headline: failedStage ? `❌ ${kind} failed at ${failedStage.stage}` : `❌ ${kind} failed`,
        failedStage,
      };
  }
}

function nextStage(record: CycleRecord): string | null {
  return cycleStages(record.kind).find((s) => !record.stages.some((r) => r.stage === s)) ?? null;
}
