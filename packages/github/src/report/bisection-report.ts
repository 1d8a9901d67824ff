import type { BisectionRecord, CycleRecord, PrHead } from '@stagecraft/engine';
import { maxBisectionSteps, sameRepository } from '@stagecraft/policy';

/** What a bisection's verdict says of one PR of the failed cycle: it broke it, it is cleared, or nothing yet. */
export type BisectionBlame = 'culprit' | 'cleared' | null;

/** null while the bisection runs, when it stopped without a verdict, or for a cycle that was not bisected. */
export function bisectionBlameOf(record: Pick<CycleRecord, 'bisection'>, pr: PrHead): BisectionBlame {
  const verdict = record.bisection?.verdict;
  if (!verdict || verdict.kind === 'abandoned') return null;
  if (verdict.kind === 'main') return 'cleared';
  return isHead(verdict.pr, pr) ? 'culprit' : 'cleared';
}

const RESULT: Record<NonNullable<BisectionRecord['steps'][number]['result']> | 'running', string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  cancelled: '⛔ cancelled',
  running: '⏳ running',
};

/**
 * The failed cycle's bisection as one PR is shown it: that a bisection looks for the cause (a step's
 * failure blames nobody), then its verdict and what it means for this PR; and the steps as a table.
 * Empty for a cycle that was not bisected.
 */
export function bisectionReport(record: Pick<CycleRecord, 'env' | 'bisection'>, pr: PrHead, label: (repo: string, number: number) => string): string[] {
  const b = record.bisection;
  if (!b) return [];
  const verdict = b.verdict;
  const lines: string[] = [];
  if (verdict === null) {
    lines.push(
      `🔎 **A bisection is looking for the cause**: ${b.stage} failed again on a re-run, so cycles of main + part of its ${b.candidates.length} suspect PR(s) ` +
        `find the one that breaks it (at most ${maxBisectionSteps(b.candidates.length)} cycles). A step that fails blames nobody; only the verdict does.`,
    );
  } else if (verdict.kind === 'pr') {
    lines.push(
      `🔎 **Bisection verdict**: ${label(verdict.pr.repo, verdict.pr.number)} (head \`${verdict.pr.sha.slice(0, 7)}\`) breaks ${b.stage}. ` +
        `It is left out of ${record.env} at that head until a push or a maintainer's \`deploy\`; the other PRs go on without it.`,
      '',
      isHead(verdict.pr, pr) ? '**This PR is the one.**' : 'This PR is not to blame.',
    );
  } else if (verdict.kind === 'main') {
    lines.push(`🔎 **Bisection verdict**: main alone fails ${b.stage}. No PR is to blame and none is left out; the fix belongs on main.`);
  } else {
    lines.push(`🔎 **The bisection stopped without a verdict**: ${verdict.reason}. Nobody is left out.`);
  }
  if (b.steps.length > 0) {
    lines.push(
      '',
      '| Step | Cycle | Tried | Result |',
      '| --- | --- | --- | --- |',
      ...b.steps.map((s, i) => `| ${i + 1} | ${s.cycleId} | main${s.prs.length ? ` + ${s.prs.map((p) => label(p.repo, p.number)).join(', ')}` : ' alone'} | ${RESULT[s.result ?? 'running']} |`),
    );
  }
  return lines;
}

function isHead(a: PrHead, b: PrHead): boolean {
  return sameRepository(a.repo, b.repo) && a.number === b.number && a.sha === b.sha;
}
