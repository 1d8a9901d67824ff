import type { CheckState } from './checks-verdict.js';

// GitHub's branch protection lets these conclusions through; every other one blocks a merge.
const GREEN_CONCLUSIONS: ReadonlySet<string> = new Set(['success', 'neutral', 'skipped']);

/**
 * A check run's state: pending until it is completed (queued, in_progress, waiting, requested),
 * then green for success, neutral and skipped, failed for any other conclusion (failure,
 * cancelled, timed_out, action_required, stale, startup_failure), as branch protection judges it.
 */
export function checkRunState(status: string, conclusion: string | null | undefined): CheckState {
  if (status !== 'completed') return 'pending';
  return conclusion && GREEN_CONCLUSIONS.has(conclusion) ? 'green' : 'failed';
}

/** A commit status's state: success is green, pending is pending, failure and error are failed. */
export function commitStatusState(state: string): CheckState {
  if (state === 'success') return 'green';
  if (state === 'pending') return 'pending';
  return 'failed';
}
