import { formatClock } from './format-clock.js';
import { formatDuration } from '@stagecraft/policy';
import { stageLine } from './stage-line.js';
import type { CycleRecord } from './status-types.js';
import type { FormatOptions } from './format-status.js';

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '–');

/** `stagecraft status --cycle ID`: one cycle with every stage's summary and output tail. */
export function formatCycleDetail(c: CycleRecord, o: FormatOptions): string {
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
    `  commits     main ${short(c.mainSha)}, staging ${short(c.stagingSha)}`,
    `  PRs         ${c.prs.length ? c.prs.map((p) => `#${p.number} at ${short(p.sha)}`).join(', ') : 'none'}`,
    `  components  ${c.components.length ? c.components.join(', ') : 'none'}${c.rebuild.length ? ` (rebuilt: ${c.rebuild.join(', ')})` : ' (no rebuild)'}`,
  ];
  if (c.cancelReason) lines.push(`  cancelled   ${c.cancelReason}`);
  lines.push('  stages');
  if (c.stages.length === 0) lines.push('    none has finished yet');
  for (const s of c.stages) {
    lines.push(`    ${stageLine(s)}`);
    lines.push(...s.outputTail.map((l) => `        │ ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
