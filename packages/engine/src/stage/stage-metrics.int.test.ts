import { afterEach, describe, expect, it } from '@jest/globals';
import { createMetrics } from '@stagecraft/telemetry';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { metricSample } from '@stagecraft/telemetry';
import { GatedExecutor } from '../testing/gated-executor.js';
import { pushEvent } from '../testing/events.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('stage workers with metrics', () => {
  it('count every stage of a cycle by stage and status, time them, and count the deploy per environment', async () => {
    const metrics = createMetrics('stage');
    h = await startEngineHarness({ executor: () => new GatedExecutor(), metrics });
    await h.engine.handleEvent(pushEvent());
    const [cycle] = await h.waitFor('a finished cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0] && cycles[0].state !== 'running' ? cycles : null;
    });
    expect(cycle).toMatchObject({ state: 'succeeded', env: 'staging' });

    const text = await metrics.registry.metrics();
    for (const stage of ['compose', 'build', 'drain', 'deploy', 'test-kernel']) {
      const labels = { stage, status: 'succeeded', app: 'stage' };
      expect([stage, metricSample(text, 'stagecraft_stage_results_total', labels)]).toEqual([stage, 1]);
      expect([stage, metricSample(text, 'stagecraft_stage_duration_seconds_count', labels)]).toEqual([stage, 1]);
      expect([stage, metricSample(text, 'stagecraft_stage_duration_seconds_bucket', { ...labels, le: '+Inf' })]).toEqual([stage, 1]);
    }
    expect(metricSample(text, 'stagecraft_deploys_total', { env: 'staging', status: 'succeeded', app: 'stage' })).toBe(1);
  });
});
