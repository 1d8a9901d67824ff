import { afterEach, describe, expect, it } from '@jest/globals';
import { HAND_BACK } from '@stagecraft/executors';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import { pushEvent } from '../testing/events.js';

describe('a stage handed back by a worker that is shutting down', () => {
  let h: EngineHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('records nothing and runs again from the start at once, not after the lock expires', async () => {
    const gate = new GatedExecutor({ open: false });
    h = await startEngineHarness({ executor: () => gate, settings: { settleMs: 0, settleMaxMs: 0 } });
    await h.engine.handleEvent(pushEvent());
    await h.waitFor('compose to start', async () => gate.runs.length === 1);
    h.workers.find((w) => w.name === 'stage-compose')!.cancelAllJobs(HAND_BACK);
    await h.waitFor('compose to run again', async () => gate.runs.length === 2);
    expect(gate.runs[0]).toMatchObject({ stage: 'compose', outcome: 'cancelled' });
    const [running] = await h.listCycles();
    expect(running!.stages).toEqual([]);
    gate.release();
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });
    // Its second start, and the only result: the handed-back run left none.
    expect(cycle!.stages.find((s) => s.stage === 'compose')).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(gate.runs.filter((r) => r.stage === 'compose')).toHaveLength(2);
  });
});
