import { formatDuration } from '../format-duration.js';
import { formatUtcClock } from '../format-utc-clock.js';
import type { Explanation } from './explain.js';
import { afterBisectionReason } from './explain-bisection.js';
import { waitReason } from './wait-reason.js';

/**
 * `staging-3 (partial, change, restart 1) for 1m30s`, `staging-14 (partial, bisection) for 2m:
 * bisecting staging-12's deploy failure: step 2 of at most 3`, or `nothing running`.
 */
export function describeRunning(e: Pick<Explanation, 'running' | 'bisection'>, now: number): string {
  const r = e.running;
  if (!r) return e.bisection ? `nothing running; ${e.bisection.reason}` : 'nothing running';
  const restarts = r.restarts > 0 ? `, restart ${r.restarts}` : '';
  const bisecting = e.bisection && r.bisect === e.bisection.origin ? `: ${e.bisection.reason}` : '';
  return `${r.id} (${r.kind}, ${r.trigger}${restarts}) for ${formatDuration(now - r.startedAt)}${r.cancelling ? ', being cancelled' : ''}${bisecting}`;
}

/**
 * `staging-4 (change): settle until 14:05:00 UTC (2 changes), in 5m; partial: the last full cycle
 * started 1h before this one, within fullInterval 6h`, or that nothing is scheduled.
 */
export function describeNext(e: Pick<Explanation, 'next' | 'running' | 'lastFinishedAt' | 'bisection'>, now: number, clock: (ms: number) => string = formatUtcClock): string {
  const n = e.next;
  if (!n) return 'nothing scheduled: waiting for a change or a command';
  const by = n.requestedBy ? `, requested by ${n.requestedBy}` : '';
  const reason =
    e.bisection && n.waitingFor === 'running-cycle'
      ? afterBisectionReason(e.bisection)
      : waitReason(n, { lastFinishedAt: e.lastFinishedAt, runningId: e.running?.id ?? null }, clock);
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
