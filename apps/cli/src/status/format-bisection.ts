import { maxBisectionSteps } from '@stagecraft/policy';
import type { CycleRecord } from './status-types.js';
import { prLabel } from './pr-label.js';

type Bisection = NonNullable<CycleRecord['bisection']>;
const MARKS: Record<string, string> = { passed: '✓ passed', failed: '✗ failed', cancelled: '⊘ cancelled', running: '… running' };

/**
 * A bisected cycle's search as a tree under `stagecraft status --cycle`: the failed cycle and its
 * suspects, each step (its cycle, the PRs it added to main, how it ended), then the verdict.
 */
export function formatBisectionTree(origin: CycleRecord, repositories: readonly string[]): string[] {
  const b = origin.bisection;
  if (!b) return [];
  const prs = (list: Array<{ repo: string; number: number }>) => list.map((p) => prLabel(p, repositories)).join(', ');
  const tried = (list: Array<{ repo: string; number: number }>) => (list.length ? `main + ${prs(list)}` : 'main alone');
  const width = Math.max(...b.steps.map((s) => tried(s.prs).length), 0);
  const idWidth = Math.max(...b.steps.map((s) => s.cycleId.length), 0);
  return [
    `  bisection   ${origin.id} failed at ${b.stage} with ${b.candidates.length} suspect PR(s): ${prs(b.candidates)}`,
    ...b.steps.map((s, i) => `    ├─ step ${i + 1}  ${s.cycleId.padEnd(idWidth)}  ${tried(s.prs).padEnd(width)}  ${MARKS[s.result ?? 'running']}`),
    `    └─ ${verdictLine(b, repositories)}`,
  ];
}

/** A step says which bisection it belongs to, and where the whole search is shown. */
export function formatBisectStep(c: CycleRecord): string[] {
  if (!c.bisect) return [];
  const { origin, stage, step, maxSteps } = c.bisect;
  return [`  bisection   step ${step} of at most ${maxSteps} of ${origin}'s ${stage} failure; its result blames nobody (\`stagecraft status --cycle ${origin}\` shows the verdict)`];
}

function verdictLine(b: Bisection, repositories: readonly string[]): string {
  const v = b.verdict;
  if (v === null) return `looking for the cause: step ${Math.max(b.steps.length, 1)} of at most ${maxBisectionSteps(b.candidates.length)}`;
  switch (v.kind) {
    case 'pr':
      return `verdict: ${prLabel(v.pr, repositories)} excluded at ${v.pr.sha.slice(0, 7)}: it breaks ${b.stage} (a push to it, or a maintainer's deploy, brings it back)`;
    case 'main':
      return `verdict: main alone fails ${b.stage}: no PR is excluded (the fix belongs on main)`;
    case 'abandoned':
      return `verdict: abandoned: ${v.reason}; nobody is excluded`;
  }
}
