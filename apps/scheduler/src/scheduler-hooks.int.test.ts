import { afterEach, describe, expect, it } from '@jest/globals';
import { schedulerMetrics } from '@stagecraft/engine';
import { createMetrics } from '@stagecraft/telemetry';
import { startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { GatedExecutor } from '@stagecraft/testing';
import { pullRequestEvent, pushEvent } from '@stagecraft/testing';
import { metricSample } from '@stagecraft/telemetry';
import { schedulerHooks } from './scheduler-hooks.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the scheduler metrics, through a scheduler engine on real Redis', () => {
  it('count cycles started and finished, their duration, a restart and a notice', async () => {
    const metrics = createMetrics('scheduler');
    const gate = new GatedExecutor();
    h = await startEngineHarness({ executor: () => gate, settings: { throttleMs: 100 }, hooks: schedulerHooks(schedulerMetrics(metrics)) });
    await h.engine.handleEvent(pushEvent()); // the first cycle is full
    await h.finishedCycles(1);

    gate.hold();
    await h.engine.handleEvent(pushEvent()); // a partial cycle…
    await h.waitFor('the partial cycle in a stage', async () => {
      const c = (await h!.listCycles())[1];
      return c && gate.runs.some((r) => r.cycleId === c.id) ? c : null;
    });
    await h.engine.handleEvent(pushEvent()); // …that this change cancels and restarts
    await h.engine.handleEvent(pullRequestEvent({ author: 'mallory' })); // untrusted: ignored, a notice
    await h.waitFor('the restarted cycle in a stage', async () => {
      const c = (await h!.listCycles())[2];
      return c && gate.runs.some((r) => r.cycleId === c.id) ? c : null;
    });
    gate.release();
    const cycles = await h.finishedCycles(3);
    expect(cycles.map((c) => [c.kind, c.trigger, c.state])).toEqual([
      ['full', 'change', 'succeeded'],
      ['partial', 'change', 'cancelled'],
      ['partial', 'restart', 'succeeded'],
    ]);

    // The record is finished before the scheduler's hook counts it: wait for the count.
    const last = { env: 'staging', kind: 'partial', result: 'succeeded' };
    await h.waitFor('the last cycle counted', async () => (metricSample(await metrics.registry.metrics(), 'stagecraft_cycles_finished_total', last) === 1 ? true : null));
    const text = await metrics.registry.metrics();
    const samples: Array<[string, Record<string, string>, number]> = [
      ['stagecraft_cycles_started_total', { env: 'staging', kind: 'full', trigger: 'change', app: 'scheduler' }, 1],
      ['stagecraft_cycles_started_total', { env: 'staging', kind: 'partial', trigger: 'change' }, 1],
      ['stagecraft_cycles_started_total', { env: 'staging', kind: 'partial', trigger: 'restart' }, 1],
      ['stagecraft_cycles_finished_total', { env: 'staging', kind: 'full', result: 'succeeded' }, 1],
      ['stagecraft_cycles_finished_total', { env: 'staging', kind: 'partial', result: 'cancelled' }, 1],
      ['stagecraft_cycles_finished_total', { env: 'staging', kind: 'partial', result: 'succeeded' }, 1],
      ['stagecraft_cycle_duration_seconds_count', { env: 'staging', kind: 'full' }, 1],
      ['stagecraft_cycle_duration_seconds_bucket', { env: 'staging', kind: 'partial', le: '+Inf' }, 2],
      ['stagecraft_cycle_restarts_total', { env: 'staging', app: 'scheduler' }, 1],
      ['stagecraft_policy_notices_total', { env: 'staging', type: 'ignore-change' }, 1],
    ];
    for (const [name, labels, value] of samples) expect([name, labels, metricSample(text, name, labels)]).toEqual([name, labels, value]);
  });
});
