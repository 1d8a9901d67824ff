import type { BisectionRecord, CycleRecord } from '@stagecraft/engine';
import { maxBisectionSteps } from '@stagecraft/policy';
import { html, type Html } from './html.js';
import { prLabel } from './pr-label.js';

type Step = BisectionRecord['steps'][number];
const STEP_STATE: Record<NonNullable<Step['result']> | 'running', string> = { passed: 'succeeded', failed: 'failed', cancelled: 'cancelled', running: 'running' };

/**
 * A bisected cycle's search as a tree: the failed cycle and its suspects, each step (its cycle,
 * the PRs it added to main, passed or failed), then the verdict, or where the search is.
 */
export function renderBisectionTree(origin: CycleRecord, repositories: string[]): Html | string {
  const b = origin.bisection;
  if (!b) return '';
  const prs = (list: Array<{ repo: string; number: number }>) => list.map((p) => prLabel(p, repositories)).join(', ');
  return html`<section data-testid="bisection" data-origin="${origin.id}"><h2>Bisection of <a href="/cycles/${origin.id}">${origin.id}</a>'s ${b.stage} failure</h2>
<ul class="tree"><li><a href="/cycles/${origin.id}">${origin.id}</a> <span class="st-failed">failed at ${b.stage}</span> with ${b.candidates.length} suspect PR(s): ${prs(b.candidates)}
<ul>${b.steps.map(
    (s, i) =>
      html`<li data-step="${i + 1}"><a href="/cycles/${s.cycleId}">${s.cycleId}</a> · step ${i + 1} · main${s.prs.length ? ` + ${prs(s.prs)}` : ' alone'} · <span class="st-${STEP_STATE[s.result ?? 'running']}">${s.result ?? 'running'}</span></li>`,
  )}<li data-testid="bisection-verdict">${verdictOf(b, repositories)}</li></ul></li></ul>
<p class="muted">Each step composes main as ${origin.id} had it + a part of its suspects, in the order it merged them. A step that fails blames nobody; only the verdict does.</p></section>`;
}

/** A step's page says which bisection it is part of, and links to the failed cycle. */
export function renderBisectStep(c: CycleRecord, repositories: string[]): Html | string {
  if (!c.bisect) return '';
  const { origin, stage, step, maxSteps } = c.bisect;
  return html`<section class="notice" data-testid="bisection-step"><h2>Bisection step ${step} of at most ${maxSteps}</h2>
<p>Of <a href="/cycles/${origin}" data-testid="bisection-origin">${origin}</a>'s ${stage} failure: main as ${origin} had it${c.prs.length ? ` + ${c.prs.map((p) => prLabel(p, repositories)).join(', ')}` : ' alone'}. Its result blames nobody; the verdict is on ${origin}.</p></section>`;
}

/** The verdict, in a few words: who is excluded at which head, main, no verdict, or how far the search is. */
export function bisectionVerdictText(b: BisectionRecord, repositories: string[]): string {
  const v = b.verdict;
  if (v === null) return `looking for the cause: step ${Math.max(b.steps.length, 1)} of at most ${maxBisectionSteps(b.candidates.length)}`;
  switch (v.kind) {
    case 'pr':
      return `${prLabel(v.pr, repositories)} excluded at ${v.pr.sha.slice(0, 7)}: it breaks ${b.stage}`;
    case 'main':
      return `main alone fails ${b.stage}: no PR is excluded`;
    case 'abandoned':
      return `abandoned: ${v.reason}; nobody is excluded`;
  }
}

function verdictOf(b: BisectionRecord, repositories: string[]): Html {
  const v = b.verdict;
  const text = bisectionVerdictText(b, repositories);
  if (v === null) return html`<span class="st-running">${text}</span>`;
  if (v.kind === 'pr') return html`<b>verdict:</b> <span class="st-failed">${text}</span> <span class="muted">(a push to it, or a maintainer's deploy, brings it back)</span>`;
  if (v.kind === 'main') return html`<b>verdict:</b> <span class="st-failed">${text}</span> <span class="muted">(the fix belongs on main)</span>`;
  return html`<b>verdict:</b> <span class="st-cancelled">${text}</span>`;
}
