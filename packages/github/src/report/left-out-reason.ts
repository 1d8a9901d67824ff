import type { CycleRecord } from '@stagecraft/engine';
import { pullRequestLabel, sameRepository } from '@stagecraft/policy';
import { composeResultsOf } from '@stagecraft/queue';

/**
 * Why a PR is not in this cycle's staging: compose's own report (a conflict, or what it left out
 * and why), else what the scheduler held it back for when the cycle started (its required
 * checks: "waiting for checks: ci/build"); null if neither says. An entry without `repo` (a compose
 * command's results with one repository) is the first repository's.
 */
export function leftOutReason(record: CycleRecord, pr: { repo: string; number: number }, severalRepositories: boolean): string | null {
  const compose = record.stages.find((s) => s.stage === 'compose');
  const results = composeResultsOf(compose?.details);
  const first = record.repos?.[0]?.repo ?? pr.repo;
  const ours = (entry: { repo?: string | undefined; number: number }) => entry.number === pr.number && sameRepository(entry.repo ?? first, pr.repo);
  const conflict = results?.conflicts?.find(ours);
  if (conflict) {
    return conflict.with === 'main' ? 'it conflicts with main' : `it conflicts with ${pullRequestLabel(pr.repo, conflict.with, severalRepositories)}, merged before it`;
  }
  const entry = results?.left?.find(ours);
  if (entry) return entry.reason;
  const waiting = record.waiting?.find((w) => w.number === pr.number && sameRepository(w.repo, pr.repo));
  if (waiting) return waiting.reason;
  if (compose && compose.status === 'succeeded') return 'it was not ready for staging when the cycle composed it';
  return null;
}
