import { afterEach, describe, expect, it } from '@jest/globals';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { commandEvent, pullRequestEvent, pushEvent } from '../testing/events.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A deploy that fails whenever `breaks` says the composed PRs break it; counts its runs per cycle. */
class PrSensitiveDeploy implements StageExecutor {
  readonly description = 'deploy that some PRs break';
  readonly runs: Array<{ cycleId: string; prs: number[] }> = [];
  constructor(private readonly breaks: (ctx: StageContext, run: number) => boolean) {}
  async run(ctx: StageContext): Promise<ExecutorOutcome> {
    this.runs.push({ cycleId: ctx.cycleId, prs: ctx.prs.map((p) => p.number) });
    const failed = this.breaks(ctx, this.runs.filter((r) => r.cycleId === ctx.cycleId).length);
    return { status: failed ? 'failed' : 'succeeded', summary: failed ? 'rollout failed' : 'rolled out', details: null, outputTail: failed ? ['pod crashloop'] : [] };
  }
}

const settings = { settleMs: 100, settleMaxMs: 400, throttleMs: 0 };

async function openPrs(harness: EngineHarness, numbers: number[]) {
  for (const pr of numbers) await harness.engine.handleEvent(pullRequestEvent({ action: 'opened', pr, sha: `h${pr}`, author: 'alice' }));
}

describe('a failed cycle bisected on real Redis', () => {
  it('finds the PR that breaks deploy among 6, excludes it at its head, deploys the other 5, and takes it back on a new push', async () => {
    const deploy = new PrSensitiveDeploy((ctx) => ctx.prs.some((p) => p.number === 4 && p.sha === 'h4'));
    const verdicts: string[] = [];
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? deploy : null), notifications: true, settings, hooks: { onBisectionVerdict: (_env, v) => verdicts.push(v) } });
    await openPrs(h, [1, 2, 3, 4, 5, 6]);
    const harness = h;
    const healed = await h.waitFor('a cycle after the bisection that deploys', async () => {
      const cycles = await harness.listCycles();
      return cycles.find((c) => c.trigger === 'bisection' && !c.bisect && c.state === 'succeeded') ?? null;
    }, 30_000);
    const cycles = (await h.listCycles()).sort((a, b) => a.startedAt - b.startedAt);
    const origin = cycles.find((c) => c.bisection)!;
    expect(origin.state).toBe('failed');
    expect(origin.stages.find((s) => s.stage === 'deploy')?.summary).toMatch(/failed again on a re-run/);
    const steps = cycles.filter((c) => c.bisect?.origin === origin.id);
    expect(steps.length).toBeLessThanOrEqual(3);
    expect(origin.bisection).toMatchObject({ stage: 'deploy', verdict: { kind: 'pr', pr: { repo: 'acme/app', number: 4, sha: 'h4' } } });
    expect(origin.bisection!.steps.map((s) => s.cycleId)).toEqual(steps.map((s) => s.id));
    expect(origin.bisection!.steps.every((s) => s.result !== null)).toBe(true);
    expect(healed.prs.map((p) => p.number)).toEqual([1, 2, 3, 5, 6]);
    expect(verdicts).toEqual(['pr']);
    const exclusion = (await h.notificationJobs()).find((j) => j.type === 'exclusion');
    expect(exclusion).toMatchObject({ repo: 'acme/app', pr: 4, sha: 'h4', originCycleId: origin.id, stage: 'deploy' });

    // A push to the excluded PR brings it back (and now it deploys).
    await h.engine.handleEvent(pullRequestEvent({ action: 'synchronize', pr: 4, sha: 'h4-fixed', author: 'alice' }));
    const back = await h.waitFor('a cycle with the fixed PR', async () => {
      const all = await harness.listCycles();
      return all.find((c) => c.state === 'succeeded' && c.prs.some((p) => p.number === 4)) ?? null;
    }, 20_000);
    expect(back.prs.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('blames nobody for a deploy that fails once and passes on the re-run: a flake', async () => {
    const deploy = new PrSensitiveDeploy((_ctx, run) => run === 1);
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? deploy : null), notifications: true, settings });
    await openPrs(h, [1, 2]);
    const harness = h;
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await harness.listCycles();
      return cycles.length > 0 && cycles.every((c) => c.state !== 'running') ? cycles : null;
    });
    expect(cycle).toMatchObject({ state: 'succeeded' });
    expect(cycle!.stages.find((s) => s.stage === 'deploy')).toMatchObject({ status: 'succeeded', summary: expect.stringMatching(/^flaky: failed once \(rollout failed\)/), details: { flake: { reruns: 1 } } });
    expect(cycle!.bisection ?? null).toBeNull();
    expect(await h.listCycles()).toHaveLength(1);
  });

  it('excludes nobody when main alone fails, and says so', async () => {
    const deploy = new PrSensitiveDeploy(() => true);
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? deploy : null), notifications: true, settings });
    await openPrs(h, [1, 2, 3]);
    await h.engine.handleEvent(pushEvent({ paths: null }));
    const harness = h;
    const origin = await h.waitFor('the bisection verdict', async () => (await harness.listCycles()).find((c) => c.bisection?.verdict) ?? null, 30_000);
    expect(origin.bisection!.verdict).toEqual({ kind: 'main' });
    expect(origin.bisection!.steps.at(-1)?.prs).toEqual([]);
    expect((await h.notificationJobs()).find((j) => j.type === 'main-broken')).toMatchObject({ originCycleId: origin.id, stage: 'deploy' });
    expect((await h.notificationJobs()).some((j) => j.type === 'exclusion')).toBe(false);
  }, 60_000);

  it("a maintainer's deploy brings an excluded PR back at the same head", async () => {
    const deploy = new PrSensitiveDeploy((ctx) => ctx.prs.some((p) => p.number === 2));
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? deploy : null), notifications: true, settings });
    await openPrs(h, [1, 2]);
    const harness = h;
    await h.waitFor('the exclusion', async () => ((await harness.listCycles()).some((c) => c.bisection?.verdict?.kind === 'pr') ? true : null), 30_000);
    const ready = () => harness.engine['r'].heads.readySnapshot({ repositories: harness.engine['r'].repositories, now: Date.now(), roles: harness.engine['roles'] });
    expect((await ready()).prs.map((p) => p.number)).toEqual([1]);
    await h.engine.handleEvent(commandEvent({ by: 'maint', pr: 2, isPullRequest: true }));
    expect((await ready()).prs.map((p) => p.number)).toEqual([1, 2]);
  }, 60_000);
});
