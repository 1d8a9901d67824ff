/** How one check run or commit status of a head stands, as the staging rule reads it. */
export type CheckState = 'green' | 'pending' | 'failed';

/** One check GitHub reports on a commit: a check run (`run`) or a commit status (`status`, by its context). */
export interface ReportedCheck {
  type: 'run' | 'status';
  name: string;
  state: CheckState;
}

/** A PR head's required checks judged together: what staging waits for, and what keeps it out. */
export interface ChecksVerdict {
  /** green: every required check passed; failed: one failed; pending: none failed, one is pending or missing. */
  state: CheckState;
  /** Required names still pending or not reported at all, in the order they are required. */
  waiting: string[];
  /** Required names that failed, in the order they are required. */
  failed: string[];
}

/** No check is required, or every required one passed. */
export const GREEN_CHECKS: ChecksVerdict = Object.freeze({ state: 'green', waiting: [], failed: [] }) as ChecksVerdict;

/**
 * How the `required` names stand among the `reported` checks. A name may be a check run's or a
 * commit status's (GitHub's required status checks are either): when both report it, a failure of
 * either counts, then a pending one. A name nothing reports is waited for, as GitHub does.
 */
export function checksVerdict(required: readonly string[], reported: Iterable<Pick<ReportedCheck, 'name' | 'state'>>): ChecksVerdict {
  const byName = new Map<string, CheckState>();
  for (const check of reported) {
    const known = byName.get(check.name);
    if (known === 'failed' || (known === 'pending' && check.state === 'green')) continue;
    byName.set(check.name, check.state);
  }
  const waiting: string[] = [];
  const failed: string[] = [];
  for (const name of new Set(required)) {
    const state = byName.get(name);
    if (state === 'failed') failed.push(name);
    else if (state !== 'green') waiting.push(name);
  }
  return { state: failed.length > 0 ? 'failed' : waiting.length > 0 ? 'pending' : 'green', waiting, failed };
}

/** What a PR waiting for, or kept out by, its checks is told (the reason staging left it out). */
export function checksReason(verdict: ChecksVerdict): string | null {
  if (verdict.state === 'failed') return `checks failed: ${verdict.failed.join(', ')}`;
  if (verdict.state === 'pending') return `waiting for checks: ${verdict.waiting.join(', ')}`;
  return null;
}
