import { afterEach, describe, expect, it } from '@jest/globals';
import type { StageContext } from '@stagecraft/executors';
import type { StageResult } from '@stagecraft/queue';
import type { StageExecutor } from '@stagecraft/executors';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import { pushEvent } from '../testing/events.js';

/** A deploy executor that only records being told it will not run. */
class RecordingDeploy extends GatedExecutor implements StageExecutor {
  readonly told: Array<{ cycleId: string; reason: string; earlier: string[] }> = [];
  async notRun(ctx: StageContext, why: { reason: string; earlier: StageResult[] }) {
    this.told.push({ cycleId: ctx.cycleId, reason: why.reason, earlier: why.earlier.map((s) => `${s.stage}:${s.status}`) });
  }
}

describe('a stage that will not run', () => {
  let h: EngineHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('tells its executor why, with what the earlier stages did', async () => {
    const deploy = new RecordingDeploy();
    h = await startEngineHarness({
      executor: (stage) => (stage === 'drain' ? new GatedExecutor({ fail: true }) : stage === 'deploy' ? deploy : new GatedExecutor()),
      settings: { settleMs: 0, settleMaxMs: 0 },
    });
    await h.engine.handleEvent(pushEvent());
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0] && cycles[0].state !== 'running' ? cycles : null;
    });
    expect(cycle!.state).toBe('failed');
    expect(deploy.runs).toEqual([]);
    expect(deploy.told).toEqual([{ cycleId: cycle!.id, reason: 'drain failed: gate failed', earlier: ['compose:succeeded', 'build:succeeded', 'drain:failed'] }]);
  });
});
