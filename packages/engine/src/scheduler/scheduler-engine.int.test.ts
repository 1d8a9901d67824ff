import { afterEach, describe, expect, it } from '@jest/globals';
import type { SchedulerEngine } from './scheduler-engine.js';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import { commandEvent, pullRequestEvent, pushEvent } from '../testing/events.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SchedulerEngine on real Redis', () => {
  it('debounces a burst of 200 events into exactly one cycle', async () => {
    const gate = new GatedExecutor();
    h = await startEngineHarness({ executor: () => gate });
    for (let i = 0; i < 200; i++) await h.engine.handleEvent(pushEvent());
    const [cycle] = await h.finishedCycles(1);
    // Longer than settle: a second cycle would have started by now.
    await sleep(h.settings.settleMs * 2);
    const cycles = await h.listCycles();
    expect(cycles).toHaveLength(1);
    expect(cycle).toMatchObject({ state: 'succeeded', kind: 'full', trigger: 'change' });
    expect(cycle!.stages.map((s) => s.stage)).toEqual(['compose', 'build', 'drain', 'deploy', 'test-kernel']);
  });

  it('holds a change that follows a finished cycle until throttle has passed', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor() });
    await h.engine.handleEvent(pushEvent());
    const [first] = await h.finishedCycles(1);
    await h.engine.handleEvent(pushEvent());
    const cycles = await h.finishedCycles(2);
    const second = cycles[1]!;
    expect(second.kind).toBe('partial');
    expect(second.startedAt - first!.finishedAt!).toBeGreaterThanOrEqual(h.settings.throttleMs - 5);
  });

  it('restarts a running partial cycle once, then lets later changes wait', async () => {
    const gate = new GatedExecutor();
    h = await startEngineHarness({ executor: () => gate, settings: { throttleMs: 100 } });
    await h.engine.handleEvent(pushEvent()); // full cycle first: no full cycle ran yet
    await h.finishedCycles(1);

    gate.hold();
    await h.engine.handleEvent(pushEvent());
    const running = await h.waitFor('a partial cycle in a stage', async () => {
      const c = (await h!.listCycles())[1];
      return c && gate.runs.some((r) => r.cycleId === c.id) ? c : null;
    });
    expect(running.kind).toBe('partial');

    await h.engine.handleEvent(pushEvent()); // restarts it
    const restarted = await h.waitFor('the restarted cycle in a stage', async () => {
      const c = (await h!.listCycles())[2];
      return c && gate.runs.some((r) => r.cycleId === c.id) ? c : null;
    });
    expect(restarted.restarts).toBe(1);
    expect((await h.cycles.get(running.id))?.state).toBe('cancelled');

    await h.engine.handleEvent(pushEvent()); // must not cancel the restarted cycle
    await sleep(h.settings.settleMs * 2);
    expect((await h.cycles.get(restarted.id))?.state).toBe('running');
    gate.release();
    const cycles = await h.finishedCycles(4);
    expect(cycles.map((c) => c.state)).toEqual(['succeeded', 'cancelled', 'succeeded', 'succeeded']);
    expect(cycles[3]!.restarts).toBe(0);
  });

  it('never cancels a full cycle: a change during it runs afterwards', async () => {
    const gate = new GatedExecutor({ open: false });
    h = await startEngineHarness({ executor: () => gate });
    await h.engine.handleEvent(pushEvent());
    const full = await h.waitFor('the full cycle in a stage', async () => {
      const c = (await h!.listCycles())[0];
      return c && gate.runs.length > 0 ? c : null;
    });
    expect(full.kind).toBe('full');
    await h.engine.handleEvent(pushEvent());
    await sleep(h.settings.settleMs * 2);
    expect((await h.cycles.get(full.id))?.state).toBe('running');
    gate.release();
    const cycles = await h.finishedCycles(2);
    expect(cycles.map((c) => [c.kind, c.state])).toEqual([
      ['full', 'succeeded'],
      ['partial', 'succeeded'],
    ]);
    expect(gate.runs.filter((r) => r.outcome === 'cancelled')).toHaveLength(0);
  });

  it('applies a redelivered event once', async () => {
    h = await startEngineHarness({ workers: false, settings: { settleMs: 60_000, settleMaxMs: 120_000 } });
    const event = pushEvent();
    await h.engine.handleEvent(event);
    await h.engine.handleEvent(event);
    await h.engine.handleEvent(pushEvent());
    const { state } = await h.engine['r'].states.load('staging');
    expect(state.pending?.changes).toBe(2);
  });

  it('lets scheduler replicas race on a burst and still run one cycle', async () => {
    const gate = new GatedExecutor();
    h = await startEngineHarness({ executor: () => gate, replicas: 3, settings: { settleMs: 2000, settleMaxMs: 4000 } });
    const events = Array.from({ length: 100 }, () => pushEvent());
    // Each replica applies its events in order, as its events worker does; the replicas race.
    const replay = async (engine: SchedulerEngine, list: typeof events) => {
      for (const e of list) await engine.handleEvent(e);
    };
    await Promise.all([
      replay(h.engines[0]!, events.slice(0, 50)),
      replay(h.engines[1]!, events.slice(50)),
      // The same deliveries arriving at a third replica must count once.
      replay(h.engines[2]!, events.slice(0, 50)),
    ]);
    const { state } = await h.engine['r'].states.load('staging');
    expect(state.pending?.changes).toBe(100);
    await h.finishedCycles(1);
    // Nothing pending or running once its end is committed (the cycle record is written first):
    // no second cycle can follow.
    const harness = h;
    const after = await harness.waitFor('the cycle end committed', async () => {
      const { state: s } = await harness.engine['r'].states.load('staging');
      return s.running === null ? s : null;
    });
    expect([after.pending, after.running]).toEqual([null, null]);
    expect(await h.listCycles()).toHaveLength(1);
    expect(gate.maxActive).toBe(1);
  });

  it('applies actions left in the outbox by a scheduler that died after committing', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor() });
    const states = h.engine['r'].states;
    const stored = await states.load('staging');
    const state = { ...stored.state, seq: 1, running: { id: 'staging-1', kind: 'partial' as const, trigger: 'deploy-command' as const, startedAt: Date.now(), restarts: 0, components: 'all' as const, rebuild: 'all' as const, cancelling: false } };
    await states.commit('staging', stored.version, state, [
      { type: 'start-cycle', cycle: { id: 'staging-1', env: 'staging', kind: 'partial', trigger: 'deploy-command', restarts: 0, components: 'all', rebuild: 'all', requestedBy: 'maint', reason: 'test' } },
    ], null);
    // Any later event first flushes the outbox.
    await h.engine.handleEvent(pushEvent({ ref: 'refs/heads/feature' }));
    await h.engine.dispatch('staging', null, { type: 'idle-tick' });
    const [cycle] = await h.finishedCycles(1);
    expect(cycle).toMatchObject({ id: 'staging-1', state: 'succeeded' });
  });

  it('runs a maintainer deploy at once, refuses it from anyone else, and approves an untrusted head', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor(), settings: { settleMs: 60_000, settleMaxMs: 120_000 } });
    const pr = pullRequestEvent({ action: 'opened', author: 'stranger', pr: 42 });
    await h.engine.handleEvent(pr);
    expect((await h.engine['r'].states.load('staging')).state.pending).toBeNull();

    await h.engine.handleEvent(commandEvent({ by: 'stranger', pr: 42, isPullRequest: true }));
    expect(await h.listCycles()).toHaveLength(0);

    await h.engine.handleEvent(commandEvent({ by: 'maint', pr: 42, isPullRequest: true }));
    const [cycle] = await h.finishedCycles(1);
    expect(cycle).toMatchObject({ kind: 'partial', trigger: 'deploy-command', requestedBy: 'maint' });
    expect(cycle!.prs).toEqual([{ repo: 'acme/app', number: 42, sha: pr.kind === 'pull_request' ? pr.sha : '' }]);

    // A new push to the untrusted PR is not covered by the approval: a cycle takes the PR out.
    await h.engine.handleEvent(pullRequestEvent({ action: 'synchronize', author: 'stranger', pr: 42 }));
    expect((await h.engine['r'].states.load('staging')).state.pending).toMatchObject({ trigger: 'change', components: 'all' });
    const ready = await h.engine['r'].heads.readySnapshot({ repositories: h.engine['r'].repositories, now: Date.now(), roles: h.engine['roles'] });
    expect(ready.prs.map((p) => p.number)).not.toContain(42);
  });

  it('idle check without GitHub: nothing after a cycle that deployed, a new cycle after one that did not', async () => {
    const deploy = new GatedExecutor();
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? deploy : new GatedExecutor()), settings: { idleCheckMs: 200, throttleMs: 0 } });
    await h.engine.handleEvent(pushEvent({ sha: 'a'.repeat(40) }));
    await h.finishedCycles(1);
    await sleep(250);
    await h.engine.idleTick();
    expect(await h.listCycles()).toHaveLength(1);

    // The deploy of b fails: staging still runs a, so the idle check owes staging a cycle for b.
    deploy.fail = true;
    await h.engine.handleEvent(pushEvent({ sha: 'b'.repeat(40) }));
    expect((await h.finishedCycles(2))[1]).toMatchObject({ mainSha: 'b'.repeat(40), state: 'failed' });
    deploy.fail = false;
    await sleep(250);
    await h.engine.idleTick();
    const cycles = await h.finishedCycles(3);
    expect(cycles[2]).toMatchObject({ trigger: 'idle-check', mainSha: 'b'.repeat(40), state: 'succeeded' });
    await sleep(250);
    await h.engine.idleTick();
    await sleep(h.settings.settleMs);
    expect(await h.listCycles()).toHaveLength(3);
  }, 15_000);

  it('rebuilds a component whose build failed in the next cycle, though only another component changed since', async () => {
    const build = new GatedExecutor({ fail: true });
    h = await startEngineHarness({ executor: (stage) => (stage === 'build' ? build : new GatedExecutor()), settings: { throttleMs: 0 } });
    await h.engine.handleEvent(pushEvent({ paths: ['services/api/src/server.ts'] }));
    const [first] = await h.finishedCycles(1);
    expect(first).toMatchObject({ state: 'failed', components: ['api'], rebuild: ['api'] });
    build.fail = false;
    await h.engine.handleEvent(pushEvent({ paths: ['services/web/page.tsx'] }));
    const second = (await h.finishedCycles(2))[1]!;
    expect(second).toMatchObject({ state: 'succeeded', components: ['api', 'web'], rebuild: ['api', 'web'] });
    expect(second.reason).toContain('carries api over from a cycle that did not deploy');
    expect(build.runs.filter((r) => r.cycleId === second.id)).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
  }, 15_000);

  it('runs a full cycle again when the last one failed before its tests', async () => {
    const compose = new GatedExecutor({ fail: true });
    h = await startEngineHarness({ executor: (stage) => (stage === 'compose' ? compose : new GatedExecutor()), settings: { throttleMs: 0 } });
    await h.engine.handleEvent(pushEvent());
    expect((await h.finishedCycles(1))[0]).toMatchObject({ kind: 'full', state: 'failed' });
    compose.fail = false;
    await h.engine.handleEvent(pushEvent());
    expect((await h.finishedCycles(2))[1]).toMatchObject({ kind: 'full', state: 'succeeded' });
    await h.engine.handleEvent(pushEvent());
    expect((await h.finishedCycles(3))[2]).toMatchObject({ kind: 'partial', state: 'succeeded' });
  }, 15_000);

  it('leaves a PR out of the cycle when it gets the skip label, with a cycle that runs without it', async () => {
    h = await startEngineHarness({ executor: () => new GatedExecutor(), settings: { throttleMs: 0 } });
    const opened = pullRequestEvent({ action: 'opened', pr: 11, author: 'alice' });
    await h.engine.handleEvent(opened);
    const [first] = await h.finishedCycles(1);
    expect(first!.prs.map((p) => p.number)).toEqual([11]);

    await h.engine.handleEvent(pullRequestEvent({ action: 'labeled', pr: 11, author: 'alice', sha: first!.prs[0]!.sha, label: 'staging-skip', labels: ['staging-skip'] }));
    const cycles = await h.finishedCycles(2);
    expect(cycles[1]!.prs).toEqual([]);
  });
});
