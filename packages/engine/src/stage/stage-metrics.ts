import type { StageJob, StageResult } from '@stagecraft/queue';
import type { Metrics } from '@stagecraft/telemetry';

/** Stage durations run from seconds (a skip) to an hour (a long test kernel). */
const STAGE_SECONDS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/**
 * A stage worker's instruments on its app's registry, as the `onStageFinished` hook of runStage:
 * every recorded result counts by stage and status, its duration goes into a histogram, and the
 * deploy stage's results also count per environment (deploys per environment).
 */
/** Stage results that failed and then passed on a re-run on the same SHA, by stage. */
export function flakeCounter(metrics: Metrics): (job: StageJob, stage: string) => void {
  const flakes = metrics.counter('stagecraft_stage_flakes_total', 'Stages that failed, then passed when run again on the same staging SHA (nobody is blamed), by stage and environment', ['stage', 'env']);
  return (job, stage) => flakes.inc({ stage, env: job.env });
}

export function stageMetrics(metrics: Metrics): (job: StageJob, result: StageResult) => void {
  const results = metrics.counter('stagecraft_stage_results_total', 'Stage results recorded, by stage and status', ['stage', 'status']);
  const seconds = metrics.histogram(
    'stagecraft_stage_duration_seconds',
    'Time from a stage job starting to its result being recorded, by stage and status',
    ['stage', 'status'],
    STAGE_SECONDS_BUCKETS,
  );
  const deploys = metrics.counter('stagecraft_deploys_total', 'Deploy stage results, by environment and status', ['env', 'status']);
  return (job, result) => {
    const labels = { stage: result.stage, status: result.status };
    results.inc(labels);
    seconds.observe(labels, Math.max(0, result.finishedAt - result.startedAt) / 1000);
    if (result.stage === 'deploy') deploys.inc({ env: job.env, status: result.status });
  };
}
