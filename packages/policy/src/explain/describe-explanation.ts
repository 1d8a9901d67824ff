import { formatDuration } from '../format-duration.js';
import { formatUtcClock } from '../format-utc-clock.js';
import type { Explanation } from './explain.js';
import { waitReason } from './wait-reason.js';

/** `staging-3 (partial, change, restart 1) for 1m30s`, or `nothing running`. */
export function describeRunning(e: Pick<Explanation, 'running'>, now: number): string {
  const r = e.running;
  if (!r) return 'nothing running';
  const restarts = r.restarts > 0 ? `, restart ${r.restarts}` : '';
  return `${r.id} (${r.kind}, ${r.trigger}${restarts}) for ${formatDuration(now - r.startedAt)}${r.cancelling ? ', being cancelled' : ''}`;
}

/**
 * `staging-4 (change): settle until 14:05:00 UTC (2 changes), in 5m; partial: the last full cycle
 * started 1h before this one, within fullInterval 6h`, or that nothing is scheduled.
 */
export function describeNext(e: Pick<Explanation, 'next' | 'running' | 'lastFinishedAt'>, now: number, clock: (ms: number) => string = formatUtcClock): string {
  const n = e.next;
  if (!n) return 'nothing scheduled: waiting for a change or a command';
  const by = n.requestedBy ? `, requested by ${n.requestedBy}` : '';
  const reason = waitReason(n, { lastFinishedAt: e.lastFinishedAt, runningId: e.running?.id ?? null }, clock);
  const due = n.waitingFor === 'running-cycle' || n.waitingFor === 'now' ? '' : n.at > now ? `, in ${formatDuration(n.at - now)}` : ', due now';
  return `${n.id} (${n.trigger}${by}): ${reason}${due}; ${n.kindReason}`;
}

/** One line per environment, as the `@<bot> status` reply gives it. */
export function renderExplanations(explanations: Explanation[], now: number): string {
  return explanations
    .map((e) => {
      const last = e.lastFinishedAt !== null ? `; last cycle finished ${formatDuration(now - e.lastFinishedAt)} ago` : '';
      const running = e.running ? `running ${describeRunning(e, now)}` : describeRunning(e, now);
      return `**${e.env}**: ${running}; ${e.next ? `next: ${describeNext(e, now)}` : 'nothing scheduled'}${last}.`;
    })
    .join('\n');
}
