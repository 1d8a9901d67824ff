import type { SchedulerMetrics, SchedulerResources } from '@stagecraft/engine';

export type SchedulerHooks = Required<Pick<SchedulerResources, 'onNotice' | 'onCycleStarted' | 'onCycleFinished' | 'onBisectionStarted' | 'onBisectionVerdict'>>;

/** The scheduler engine's callbacks, counting notices and cycles on the scheduler's instruments. */
export function schedulerHooks(metrics: SchedulerMetrics): SchedulerHooks {
  return {
    onNotice: (env, action) => metrics.notices.inc({ env, type: action.type }),
    onCycleStarted: (c) => {
      metrics.cyclesStarted.inc({ env: c.env, kind: c.kind, trigger: c.trigger });
      if (c.trigger === 'restart') metrics.restarts.inc({ env: c.env });
      if (c.bisect) metrics.bisectionCycles.inc({ env: c.env });
    },
    onBisectionStarted: (env) => metrics.bisections.inc({ env }),
    onBisectionVerdict: (env, verdict) => {
      metrics.bisectionVerdicts.inc({ env, verdict });
      if (verdict === 'pr') metrics.exclusions.inc({ env });
    },
    onCycleFinished: (c) => {
      metrics.cyclesFinished.inc({ env: c.env, kind: c.kind, result: c.state });
      if (c.finishedAt !== null) metrics.cycleSeconds.observe({ env: c.env, kind: c.kind }, Math.max(0, c.finishedAt - c.startedAt) / 1000);
    },
  };
}
