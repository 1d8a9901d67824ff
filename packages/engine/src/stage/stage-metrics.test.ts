import { describe, expect, it } from '@jest/globals';
import { createMetrics } from '@stagecraft/telemetry';
import type { StageJob, StageName, StageResult, StageStatus } from '@stagecraft/queue';
import { metricSample } from '@stagecraft/telemetry';
import { stageMetrics } from './stage-metrics.js';

const job = (env: string, stage: StageName): StageJob => ({
  cycleId: `${env}-1`,
  env,
  stage,
  kind: 'full',
  components: ['api'],
  rebuild: ['api'],
  mainSha: null,
  prs: [],
});
const result = (stage: StageName, status: StageStatus, seconds: number): StageResult => ({
  stage,
  status,
  startedAt: 1_000_000,
  finishedAt: 1_000_000 + seconds * 1000,
  summary: 'test',
  attempt: 1,
  details: null,
  outputTail: [],
});

type Sample = [name: string, labels: Record<string, string>, value: number | undefined];

describe('stageMetrics', () => {
  it.each<[string, StageName, StageStatus, number, Sample[]]>([
    [
      'a succeeded deploy counts as a deploy of its environment',
      'deploy',
      'succeeded',
      42,
      [
        ['stagecraft_stage_results_total', { stage: 'deploy', status: 'succeeded', app: 'deploy' }, 1],
        ['stagecraft_stage_duration_seconds_bucket', { stage: 'deploy', status: 'succeeded', le: '60' }, 1],
        ['stagecraft_stage_duration_seconds_bucket', { stage: 'deploy', status: 'succeeded', le: '30' }, 0],
        ['stagecraft_stage_duration_seconds_sum', { stage: 'deploy', status: 'succeeded' }, 42],
        ['stagecraft_deploys_total', { env: 'production', status: 'succeeded', app: 'deploy' }, 1],
      ],
    ],
    [
      'a failed deploy counts with its status',
      'deploy',
      'failed',
      3,
      [
        ['stagecraft_stage_results_total', { stage: 'deploy', status: 'failed' }, 1],
        ['stagecraft_deploys_total', { env: 'production', status: 'failed' }, 1],
        ['stagecraft_deploys_total', { env: 'production', status: 'succeeded' }, undefined],
      ],
    ],
    [
      'a skipped build is no deploy',
      'build',
      'skipped',
      0,
      [
        ['stagecraft_stage_results_total', { stage: 'build', status: 'skipped' }, 1],
        ['stagecraft_stage_duration_seconds_count', { stage: 'build', status: 'skipped' }, 1],
        ['stagecraft_deploys_total', {}, undefined],
      ],
    ],
  ])('%s', async (_name, stage, status, seconds, samples) => {
    const metrics = createMetrics('deploy');
    stageMetrics(metrics)(job('production', stage), result(stage, status, seconds));
    const text = await metrics.registry.metrics();
    for (const [name, labels, value] of samples) expect([name, labels, metricSample(text, name, labels)]).toEqual([name, labels, value]);
  });
});
