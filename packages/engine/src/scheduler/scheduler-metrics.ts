import type { Metrics } from '@stagecraft/telemetry';

type Counter = ReturnType<Metrics['counter']>;
type Histogram = ReturnType<Metrics['histogram']>;

export interface SchedulerMetrics {
  events: Counter;
  notices: Counter;
  cyclesStarted: Counter;
  cyclesFinished: Counter;
  cycleSeconds: Histogram;
  restarts: Counter;
  bisections: Counter;
  bisectionCycles: Counter;
  bisectionVerdicts: Counter;
  exclusions: Counter;
}

/** The scheduler's instruments on its app's registry (the registry creates each metric once). */
export function schedulerMetrics(metrics: Metrics): SchedulerMetrics {
  return {
    events: metrics.counter('stagecraft_events_total', 'Webhook events applied by the scheduler, by kind', ['kind']),
    notices: metrics.counter('stagecraft_policy_notices_total', 'Refused commands and ignored changes', ['env', 'type']),
    cyclesStarted: metrics.counter('stagecraft_cycles_started_total', 'Cycles started', ['env', 'kind', 'trigger']),
    cyclesFinished: metrics.counter('stagecraft_cycles_finished_total', 'Cycles finished, by result', ['env', 'kind', 'result']),
    cycleSeconds: metrics.histogram('stagecraft_cycle_duration_seconds', 'Cycle duration', ['env', 'kind'], [10, 30, 60, 120, 300, 600, 1200, 3600, 7200]),
    restarts: metrics.counter(
      'stagecraft_cycle_restarts_total',
      'Cycles started to restart a partial cycle that a change cancelled (trigger restart), by environment',
      ['env'],
    ),
    bisections: metrics.counter('stagecraft_bisections_total', 'Bisections started to find the PR that broke a failed cycle, by environment', ['env']),
    bisectionCycles: metrics.counter('stagecraft_bisection_cycles_total', 'Bisection steps (cycles of main + a part of the failed cycle PRs) started, by environment', ['env']),
    bisectionVerdicts: metrics.counter('stagecraft_bisection_verdicts_total', 'How bisections ended: the PR found (pr), main alone failing (main), or no verdict (abandoned)', ['env', 'verdict']),
    exclusions: metrics.counter('stagecraft_exclusions_total', 'PRs excluded from staging because a bisection found they break it, by environment', ['env']),
  };
}
