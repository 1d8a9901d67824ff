import { currentStage } from './current-stage.js';
import { formatClock } from './format-clock.js';
import { formatDuration } from './format-duration.js';
import { stageLine } from './stage-line.js';
import { textTable } from './text-table.js';
import type { CycleRecord, EnvironmentStatus, StatusSnapshot } from './status-types.js';

export interface FormatOptions {
  now: number;
  /** IANA zone for clock times; the machine's own when undefined. */
  timeZone?: string;
}

const WAITING_FOR: Record<string, string> = {
  settle: 'settle (changes still arriving push it back, up to settleMax)',
  'settle-cap': 'settleMax (pushed back as far as it can be)',
  throttle: 'throttle (too soon after the last cycle)',
  'running-cycle': 'the running cycle to finish',
  now: 'nothing: starting now',
};

/** `stagecraft status` for a snapshot of the dashboard API: a block per environment. */
export function formatStatus(snapshot: StatusSnapshot, options: FormatOptions): string {
  if (snapshot.environments.length === 0) return 'No environments are configured.\n';
  return snapshot.environments.map((env) => formatEnvironment(env, snapshot.cycles[env.name] ?? [], options)).join('\n');
}

function formatEnvironment(env: EnvironmentStatus, cycles: CycleRecord[], o: FormatOptions): string {
  const lines = [env.name];
  const ago = (t: number) => `${formatClock(t, o.now, o.timeZone)} (${formatDuration(o.now - t)} ago)`;

  if (env.running) {
    const r = env.running;
    const record = cycles.find((c) => c.id === r.id);
    const stage = record ? currentStage(record) : null;
    const where = record ? `, stage: ${stage ?? 'finishing'}` : '';
    const restarts = r.restarts > 0 ? `, restart ${r.restarts}` : '';
    const cancelling = r.cancelling ? ' — cancelling' : '';
    lines.push(`  running  ${r.id}: ${r.kind}, ${r.trigger}${restarts}, for ${formatDuration(o.now - r.startedAt)}${where}${cancelling}`);
  } else {
    lines.push('  running  nothing');
  }

  if (env.pending) {
    const p = env.pending;
    const when = p.runAt <= o.now ? 'due now' : `at ${formatClock(p.runAt, o.now, o.timeZone)} (in ${formatDuration(p.runAt - o.now)})`;
    const changes = p.changes !== undefined ? `, ${p.changes} change${p.changes === 1 ? '' : 's'}` : '';
    const kind = p.forcedKind ? ` ${p.forcedKind}` : '';
    lines.push(`  next     ${p.id}:${kind} ${p.trigger}${changes}, ${when}, waiting for ${WAITING_FOR[p.waitingFor] ?? p.waitingFor}`);
  } else {
    lines.push('  next     nothing scheduled: waiting for a change or a command');
  }

  const history = [
    env.lastFinishedAt !== null ? `last cycle finished ${ago(env.lastFinishedAt)}` : 'no cycle has finished yet',
    env.lastFullStartedAt !== null ? `last full cycle started ${ago(env.lastFullStartedAt)}` : 'no full cycle yet',
  ];
  lines.push(`  ${history.join('; ')}`);

  if (cycles.length === 0) {
    lines.push('  no cycles recorded');
    return `${lines.join('\n')}\n`;
  }
  lines.push('');
  const rows = cycles.slice(0, 10).map((c) => [
    c.id,
    c.kind,
    c.trigger,
    c.state,
    c.finishedAt !== null ? formatDuration(c.finishedAt - c.startedAt) : `${formatDuration(o.now - c.startedAt)}…`,
    c.prs.length ? c.prs.map((p) => `#${p.number}`).join(' ') : '–',
    String(c.restarts),
  ]);
  lines.push(...textTable(['ID', 'KIND', 'TRIGGER', 'STATE', 'DURATION', 'PRS', 'RESTARTS'], rows).map((l) => `  ${l}`));

  const newest = cycles[0]!;
  lines.push('', `  ${newest.id} started ${formatClock(newest.startedAt, o.now, o.timeZone)}${newest.stages.length ? ':' : ': no stage has finished yet'}`);
  lines.push(...newest.stages.map((s) => `    ${stageLine(s)}`));
  if (newest.cancelReason) lines.push(`    cancelled: ${newest.cancelReason}`);
  return `${lines.join('\n')}\n`;
}
