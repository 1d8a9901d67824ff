import { describeNext, describeRunning, formatDuration } from '@stagecraft/policy';
import { currentStage } from './current-stage.js';
import { formatClock } from './format-clock.js';
import { formatExclusions } from './format-exclusions.js';
import { formatIgnoredRepositories } from './format-ignored-repositories.js';
import { formatRepositoryRuns } from './format-repository-runs.js';
import { prLabel } from './pr-label.js';
import { stageLine } from './stage-line.js';
import { textTable } from './text-table.js';
import type { CycleRecord, EnvironmentStatus, StatusSnapshot } from './status-types.js';

export interface FormatOptions {
  now: number;
  /** IANA zone for clock times; the machine's own when undefined. */
  timeZone?: string;
}

/**
 * `stagecraft status` for a snapshot of the dashboard API: a block per environment (with several
 * repositories, what it runs of each), then the PRs a bisection keeps out and the webhooks ingress
 * ignored, if any.
 */
export function formatStatus(snapshot: StatusSnapshot, options: FormatOptions): string {
  const notes = [formatExclusions(snapshot.exclusions ?? [], snapshot.repositories), formatIgnoredRepositories(snapshot.ignoredRepositories)].filter((lines) => lines.length > 0);
  const footer = notes.map((lines) => `\n${lines.join('\n')}\n`).join('');
  if (snapshot.environments.length === 0) return `No environments are configured.\n${footer}`;
  return snapshot.environments.map((env) => formatEnvironment(env, snapshot.cycles[env.name] ?? [], snapshot.repositories, options)).join('\n') + footer;
}

function formatEnvironment(env: EnvironmentStatus, cycles: CycleRecord[], repositories: string[], o: FormatOptions): string {
  const lines = [env.name];
  const ago = (t: number) => `${formatClock(t, o.now, o.timeZone)} (${formatDuration(o.now - t)} ago)`;

  const e = env.explanation;
  const record = e.running ? cycles.find((c) => c.id === e.running!.id) : undefined;
  const where = record ? `, stage: ${currentStage(record) ?? 'finishing'}` : '';
  lines.push(`  running  ${describeRunning(e, o.now)}${where}`);
  lines.push(`  next     ${describeNext(e, o.now, (t) => formatClock(t, o.now, o.timeZone))}`);

  const history = [
    e.lastFinishedAt !== null ? `last cycle finished ${ago(e.lastFinishedAt)}` : 'no cycle has finished yet',
    e.lastFullStartedAt !== null ? `last full cycle started ${ago(e.lastFullStartedAt)}` : 'no full cycle yet',
  ];
  lines.push(`  ${history.join('; ')}`);
  // One repository: its heads are in the cycle table and `--cycle`, as always; several get a line each.
  if (repositories.length > 1) lines.push(...formatRepositoryRuns(env.deployed, repositories, o));

  if (cycles.length === 0) {
    lines.push('  no cycles recorded');
    return `${lines.join('\n')}\n`;
  }
  lines.push('');
  const rows = cycles.slice(0, 10).map((c) => [
    c.id,
    c.kind,
    c.bisect ? `bisection ${c.bisect.step}/${c.bisect.maxSteps}` : c.trigger,
    c.state,
    c.finishedAt !== null ? formatDuration(c.finishedAt - c.startedAt) : `${formatDuration(o.now - c.startedAt)}…`,
    c.prs.length ? c.prs.map((p) => prLabel(p, repositories)).join(' ') : '–',
    String(c.restarts),
  ]);
  lines.push(...textTable(['ID', 'KIND', 'TRIGGER', 'STATE', 'DURATION', 'PRS', 'RESTARTS'], rows).map((l) => `  ${l}`));

  const newest = cycles[0]!;
  lines.push('', `  ${newest.id} started ${formatClock(newest.startedAt, o.now, o.timeZone)}${newest.stages.length ? ':' : ': no stage has finished yet'}`);
  lines.push(...newest.stages.map((s) => `    ${stageLine(s)}`));
  if (newest.cancelReason) lines.push(`    cancelled: ${newest.cancelReason}`);
  return `${lines.join('\n')}\n`;
}
