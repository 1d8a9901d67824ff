import { formatClock } from './format-clock.js';
import { formatDuration } from '@stagecraft/policy';
import { stageLine } from './stage-line.js';
import type { CycleRecord } from './status-types.js';
import type { FormatOptions } from './format-status.js';
import { prLabel } from './pr-label.js';
import { formatBisectionTree, formatBisectStep } from './format-bisection.js';

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '–');

/**
 * `stagecraft status --cycle ID`: one cycle with every stage's summary and output tail; with several
 * repositories, a commits line per repository and each PR named with its repository. A bisected
 * cycle shows its bisection as a tree; a bisection step names the failed cycle it bisects and
 * shows that tree (`origin`, when the dashboard still has it).
 */
export function formatCycleDetail(c: CycleRecord, o: FormatOptions, origin: CycleRecord | null = null): string {
  // A record from before cycles named their repositories has one repository.
  const repos = (c.repos as CycleRecord['repos'] | undefined) ?? [];
  const repositories = repos.map((r) => r.repo);
  const clock = (t: number) => formatClock(t, o.now, o.timeZone);
  const timing =
    c.finishedAt !== null
      ? `${clock(c.startedAt)} → ${clock(c.finishedAt)} (${formatDuration(c.finishedAt - c.startedAt)})`
      : `${clock(c.startedAt)}, running for ${formatDuration(o.now - c.startedAt)}`;
  const lines = [
    `cycle ${c.id} (${c.env}): ${c.kind}, ${c.state}`,
    `  trigger     ${c.trigger}${c.requestedBy ? ` by ${c.requestedBy}` : ''}`,
    `  reason      ${c.reason}`,
    `  time        ${timing}`,
    `  restarts    ${c.restarts}`,
    ...(repos.length > 1
      ? repos.map((r, i) => `  ${i === 0 ? 'commits' : '       '}     ${r.repo}: main ${short(r.mainSha)}, staging ${short(r.stagingSha)}`)
      : [`  commits     main ${short(c.mainSha)}, staging ${short(c.stagingSha)}`]),
    `  PRs         ${c.prs.length ? c.prs.map((p) => `${prLabel(p, repositories)} at ${short(p.sha)}`).join(', ') : 'none'}`,
    `  components  ${c.components.length ? c.components.join(', ') : 'none'}${c.rebuild.length ? ` (rebuilt: ${c.rebuild.join(', ')})` : ' (no rebuild)'}`,
  ];
  if (c.cancelReason) lines.push(`  cancelled   ${c.cancelReason}`);
  lines.push(...formatBisectStep(c), ...formatBisectionTree(c.bisection ? c : (origin ?? c), repositories));
  lines.push('  stages');
  if (c.stages.length === 0) lines.push('    none has finished yet');
  for (const s of c.stages) {
    lines.push(`    ${stageLine(s)}`);
    lines.push(...s.outputTail.map((l) => `        │ ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
