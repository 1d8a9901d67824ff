import { describe, expect, it } from '@jest/globals';
import { decide } from './decide.js';
import { initialEnvState } from './initial-env-state.js';
import type { EnvState, PolicyAction, PolicyEvent } from './types.js';
import { defaultSettings } from './test-support/default-settings.js';

const settings = defaultSettings;
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const min = (n: number) => T0 + n * 60_000;

const change = (over: Partial<Extract<PolicyEvent, { type: 'change' }>> = {}): PolicyEvent => ({
  type: 'change',
  source: 'push',
  sha: 'abc1234',
  repo: null,
  pr: null,
  trusted: true,
  components: ['api'],
  rebuild: ['api'],
  ...over,
});
const command = (cmd: 'deploy' | 'trigger' | 'skip', over: Partial<Extract<PolicyEvent, { type: 'command' }>> = {}): PolicyEvent => ({
  type: 'command',
  command: cmd,
  by: 'maint',
  role: 'maintainer',
  repo: null,
  pr: null,
  sha: null,
  prAuthorTrusted: true,
  isAuthor: false,
  ...over,
});
const timer = (cycleId: string): PolicyEvent => ({ type: 'timer-fired', cycleId });
/** A cycle's end; unless told otherwise it deployed and tested exactly when it succeeded. */
const finished = (cycleId: string, result: 'succeeded' | 'failed' | 'cancelled' = 'succeeded', facts: { deployed?: boolean; tested?: boolean } = {}): PolicyEvent => ({
  type: 'cycle-finished',
  cycleId,
  result,
  deployed: facts.deployed ?? result === 'succeeded',
  tested: facts.tested ?? result === 'succeeded',
});

/** Replays [minute, event] steps from a state; returns the final state and every action with its minute. */
function replay(steps: Array<[number, PolicyEvent]>, from: EnvState = initialEnvState('staging')) {
  let state = from;
  const log: Array<[number, PolicyAction]> = [];
  for (const [m, event] of steps) {
    const d = decide(state, event, min(m), settings);
    state = d.state;
    for (const a of d.actions) log.push([m, a]);
  }
  return { state, log, actions: log.map(([, a]) => a) };
}
const starts = (log: Array<[number, PolicyAction]>) =>
  log.flatMap(([m, a]) => (a.type === 'start-cycle' ? [{ m, id: a.cycle.id, kind: a.cycle.kind, trigger: a.cycle.trigger, restarts: a.cycle.restarts }] : []));
const lastTimer = (actions: PolicyAction[]) => actions.filter((a) => a.type === 'schedule-timer').at(-1) as Extract<PolicyAction, { type: 'schedule-timer' }> | undefined;

/** A state after one full cycle started at minute 0 and finished at minute `finishedAt`. */
function afterFullCycle(finishedAt: number) {
  return replay([
    [-5, change()],
    [0, timer('staging-1')],
    [finishedAt, finished('staging-1')],
  ]).state;
}

describe('decide: settle', () => {
  it.each([
    ['one change', [0], 5, 'settle'],
    ['two changes a minute apart', [0, 1], 6, 'settle'],
    ['a change every 4 minutes for 12 minutes', [0, 4, 8, 12], 15, 'settle-cap'],
  ])('%s → runs at the expected minute', (_name, minutes, expectedMinute, waitingFor) => {
    const { actions, state } = replay(minutes.map((m) => [m, change()] as [number, PolicyEvent]));
    expect(state.pending).toMatchObject({ id: 'staging-1', runAt: min(expectedMinute as number), waitingFor, changes: minutes.length });
    // One timer for the whole burst, armed by the first change.
    expect(actions).toEqual([expect.objectContaining({ type: 'schedule-timer', cycleId: 'staging-1', runAt: min(minutes[0]! + 5) })]);
  });

  it('re-arms a timer that fired before the debounced time, until the cycle starts', () => {
    const { state } = replay([[0, change()], [3, change()]]);
    const early = decide(state, timer('staging-1'), min(5), settings);
    expect(early.actions).toEqual([expect.objectContaining({ type: 'schedule-timer', runAt: min(8), waitingFor: 'settle' })]);
    const onTime = decide(early.state, timer('staging-1'), min(8), settings);
    expect(onTime.actions.map((a) => a.type)).toEqual(['start-cycle']);
  });

  it('starts exactly one cycle for a steady stream, at first change + settleMax', () => {
    const steps: Array<[number, PolicyEvent]> = [];
    for (let m = 0; m < 30; m++) steps.push([m, change()]);
    let state = replay(steps.filter(([m]) => m < 15)).state;
    const fired = decide(state, timer('staging-1'), min(15), settings);
    expect(fired.actions).toEqual([expect.objectContaining({ type: 'start-cycle', cycle: expect.objectContaining({ id: 'staging-1', kind: 'full' }) })]);
    state = fired.state;
    expect(state.running?.id).toBe('staging-1');
  });

  it('re-schedules a timer that fires early (stale)', () => {
    const { state } = replay([[0, change()], [3, change()]]);
    const early = decide(state, timer('staging-1'), min(5), settings);
    expect(early.actions).toEqual([expect.objectContaining({ type: 'schedule-timer', runAt: min(8) })]);
    expect(early.state).toBe(state);
  });

  it('ignores timers of cycles it does not know', () => {
    const { state } = replay([[0, change()]]);
    expect(decide(state, timer('staging-9'), min(10), settings).actions).toEqual([]);
  });
});

describe('decide: throttle', () => {
  it('waits until throttle has passed since the last finish', () => {
    const { actions } = replay([[12, change()]], afterFullCycle(10));
    expect(lastTimer(actions)).toMatchObject({ runAt: min(40), waitingFor: 'throttle' });
  });

  it('does not move a throttled cycle when more changes join', () => {
    const { actions, state } = replay([[12, change()], [20, change({ components: ['web'], rebuild: [] })], [38, change()]], afterFullCycle(10));
    expect(actions.filter((a) => a.type === 'schedule-timer')).toHaveLength(1);
    expect(state.pending).toMatchObject({ runAt: min(40), changes: 3, components: ['api', 'web'], rebuild: ['api'] });
  });

  it('uses settle alone once throttle has passed', () => {
    const { actions } = replay([[50, change()]], afterFullCycle(10));
    expect(lastTimer(actions)).toMatchObject({ runAt: min(55), waitingFor: 'settle' });
  });
});

describe('decide: full or partial', () => {
  it.each([
    ['the first cycle ever', null, 'full'],
    ['a cycle 1 h after a full one', 60, 'partial'],
    ['a cycle 6 h after a full one', 360, 'full'],
  ])('%s is the expected kind', (_name, gap, kind) => {
    const from = gap === null ? initialEnvState('staging') : afterFullCycle(10);
    const at = gap ?? 0;
    const { log } = replay([[at - 5, change()], [at, timer(gap === null ? 'staging-1' : 'staging-2')]], from);
    expect(starts(log)).toEqual([expect.objectContaining({ kind })]);
  });

  it('says why in the started cycle\'s reason', () => {
    const { log } = replay([[55, change()], [60, timer('staging-2')]], afterFullCycle(10));
    const started = log.find(([, a]) => a.type === 'start-cycle')?.[1] as Extract<PolicyAction, { type: 'start-cycle' }>;
    expect(started.cycle.reason).toBe('settled: 1 change, none in the last 5m; partial: the last full cycle started 1h before this one, within fullInterval 6h');
  });
});

describe('decide: restart of a running partial cycle', () => {
  // A partial cycle staging-2 starting at minute 100.
  const partialRunning = () => replay([[95, change()], [100, timer('staging-2')]], afterFullCycle(10)).state;

  it('cancels it once and schedules the restart through settle', () => {
    const { actions, state } = replay([[102, change()]], partialRunning());
    expect(actions.map((a) => a.type)).toEqual(['cancel-cycle', 'schedule-timer']);
    expect(state.running).toMatchObject({ id: 'staging-2', cancelling: true });
    expect(state.pending).toMatchObject({ id: 'staging-3', trigger: 'restart', restarts: 1, runAt: min(107) });
  });

  it('starts the restart after the cancelled cycle ends, without throttle', () => {
    const { log } = replay([[102, change()], [103, finished('staging-2', 'cancelled')], [107, timer('staging-3')]], partialRunning());
    expect(starts(log)).toEqual([{ m: 107, id: 'staging-3', kind: 'partial', trigger: 'restart', restarts: 1 }]);
  });

  it('lets a second change during the restarted cycle wait for it, then throttle', () => {
    const { log, state } = replay(
      [
        [102, change()],
        [103, finished('staging-2', 'cancelled')],
        [107, timer('staging-3')],
        [108, change()],
      ],
      partialRunning(),
    );
    expect(log.some(([m, a]) => m === 108 && a.type === 'cancel-cycle')).toBe(false);
    expect(state.pending).toMatchObject({ id: 'staging-4', waitingFor: 'running-cycle', restarts: 0 });
    const after = decide(state, finished('staging-3'), min(120), settings);
    expect(after.actions).toEqual([expect.objectContaining({ type: 'schedule-timer', cycleId: 'staging-4', runAt: min(150), waitingFor: 'throttle' })]);
  });

  it('folds the cancelled cycle’s components into the restart', () => {
    const from = replay([[95, change({ components: ['api'], rebuild: ['api'] })], [100, timer('staging-2')]], afterFullCycle(10)).state;
    const { state } = replay([[101, change({ components: ['web'], rebuild: [] })]], from);
    expect(state.pending).toMatchObject({ components: ['api', 'web'], rebuild: ['api'] });
  });

  it('respects maxRestarts = 0', () => {
    const d = decide(partialRunning(), change(), min(102), { ...settings, maxRestarts: 0 });
    expect(d.actions).toEqual([]);
    expect(d.state.pending?.waitingFor).toBe('running-cycle');
  });
});

describe('decide: a full cycle is never cancelled', () => {
  it('queues a change during it, then runs it through throttle', () => {
    const running = replay([[-5, change()], [0, timer('staging-1')]]).state;
    const { actions, state } = replay([[10, change()], [20, change()]], running);
    expect(actions).toEqual([]);
    expect(state.running?.cancelling).toBe(false);
    const done = decide(state, finished('staging-1'), min(60), settings);
    expect(done.actions).toEqual([expect.objectContaining({ type: 'schedule-timer', cycleId: 'staging-2', runAt: min(90), waitingFor: 'throttle' })]);
  });
});

describe('decide: commands', () => {
  it.each([
    ['deploy', 'partial', 'deploy-command'],
    ['trigger', 'full', 'trigger-command'],
  ] as const)('%s from a maintainer starts a %s cycle now, skipping settle and throttle', (cmd, kind, trigger) => {
    const { log } = replay([[12, change()], [13, command(cmd)]], afterFullCycle(10));
    expect(starts(log)).toEqual([{ m: 13, id: 'staging-2', kind, trigger, restarts: 0 }]);
  });

  it.each([
    ['a trusted user', 'trusted'],
    ['an untrusted user', 'untrusted'],
  ] as const)('refuses a command from %s and changes nothing', (_name, role) => {
    const state = afterFullCycle(10);
    const d = decide(state, command('trigger', { by: 'someone', role }), min(20), settings);
    expect(d.state).toBe(state);
    expect(d.actions).toEqual([expect.objectContaining({ type: 'refuse-command', command: 'trigger', by: 'someone' })]);
  });

  it('approves the head of an untrusted PR when a maintainer deploys it, and takes back a skip', () => {
    const d = decide(afterFullCycle(10), command('deploy', { repo: 'acme/api', pr: 42, sha: 'f00d', prAuthorTrusted: false }), min(20), settings);
    expect(d.actions.map((a) => a.type)).toEqual(['approve-head', 'unskip-pr', 'start-cycle']);
    expect(d.actions[0]).toEqual({ type: 'approve-head', repo: 'acme/api', pr: 42, sha: 'f00d', by: 'maint' });
    expect(d.actions[1]).toEqual({ type: 'unskip-pr', repo: 'acme/api', pr: 42 });
  });

  it.each([
    ['the PR\'s author', { by: 'alice', role: 'trusted', isAuthor: true }],
    ['a maintainer', { by: 'maint', role: 'maintainer', isAuthor: false }],
  ] as const)('skip from %s takes the PR out: a skip-pr action, then a change for every component', (_name, who) => {
    const d = decide(afterFullCycle(10), command('skip', { ...who, pr: 8, sha: 'beef' }), min(60), settings);
    expect(d.actions[0]).toEqual({ type: 'skip-pr', repo: null, pr: 8, by: who.by });
    expect(d.actions.slice(1)).toEqual([expect.objectContaining({ type: 'schedule-timer', waitingFor: 'settle' })]);
    expect(d.state.pending).toMatchObject({ trigger: 'change', components: 'all', rebuild: 'all' });
  });

  it('refuses a skip from someone who neither wrote the PR nor maintains', () => {
    const state = afterFullCycle(10);
    const d = decide(state, command('skip', { by: 'mallory', role: 'trusted', pr: 8 }), min(20), settings);
    expect(d.state).toBe(state);
    expect(d.actions).toEqual([{ type: 'refuse-command', command: 'skip', by: 'mallory', reason: "only the PR's author or a maintainer may skip it" }]);
  });

  it.each([
    ['deploy', { by: 'alice', role: 'trusted', isAuthor: true }],
    ['trigger', { by: 'alice', role: 'trusted', isAuthor: true }],
  ] as const)('an author may not %s their own PR', (cmd, who) => {
    const d = decide(afterFullCycle(10), command(cmd, { ...who, pr: 8 }), min(20), settings);
    expect(d.actions).toEqual([{ type: 'refuse-command', command: cmd, by: 'alice', reason: `only maintainers may ${cmd}; alice is not one (trust.maintainers)` }]);
  });

  it('trigger during a partial cycle cancels it and starts full right after it ends', () => {
    const partial = replay([[95, change()], [100, timer('staging-2')]], afterFullCycle(10)).state;
    const { log, state } = replay([[101, command('trigger')], [102, finished('staging-2', 'cancelled')]], partial);
    expect(log.map(([, a]) => a.type)).toEqual(['cancel-cycle', 'start-cycle']);
    expect(starts(log)).toEqual([{ m: 102, id: 'staging-3', kind: 'full', trigger: 'trigger-command', restarts: 0 }]);
    expect(state.running?.id).toBe('staging-3');
  });

  it('deploy during a full cycle waits for it, then runs at once', () => {
    const running = replay([[-5, change()], [0, timer('staging-1')]]).state;
    const { log } = replay([[10, command('deploy')], [30, finished('staging-1')]], running);
    expect(log.map(([, a]) => a.type)).toEqual(['start-cycle']);
    expect(starts(log)).toEqual([{ m: 30, id: 'staging-2', kind: 'partial', trigger: 'deploy-command', restarts: 0 }]);
  });

  it('a deploy absorbs a pending change instead of running twice', () => {
    const { state, log } = replay([[50, change()], [51, command('deploy')]], afterFullCycle(10));
    expect(starts(log)).toHaveLength(1);
    expect(state.pending).toBeNull();
  });
});

describe('decide: trust and bookkeeping', () => {
  it('ignores a change from an untrusted author', () => {
    const state = initialEnvState('staging');
    const d = decide(state, change({ trusted: false, pr: 9 }), min(0), settings);
    expect(d.state).toBe(state);
    expect(d.actions).toEqual([expect.objectContaining({ type: 'ignore-change' })]);
  });

  it.each([
    ['an unknown cycle', finished('staging-9')],
    ['a timer with nothing pending', timer('staging-1')],
  ])('ignores %s', (_name, event) => {
    const state = afterFullCycle(10);
    expect(decide(state, event, min(20), settings)).toEqual({ state, actions: [] });
  });

  it('never mutates its input', () => {
    const state = replay([[95, change()], [100, timer('staging-2')]], afterFullCycle(10)).state;
    const frozen = JSON.stringify(state);
    for (const e of [change(), command('trigger'), finished('staging-2'), timer('staging-2'), { type: 'idle-tick' } as PolicyEvent]) {
      decide(state, e, min(101), settings);
    }
    expect(JSON.stringify(state)).toBe(frozen);
  });
});

describe('decide: idle check', () => {
  it.each([
    ['never ran', initialEnvState('staging'), 0, true],
    ['ran 2 h ago', afterFullCycle(10), 130, false],
    ['ran 7 h ago', afterFullCycle(10), 430, true],
  ])('when it %s, a tick checks for updates or not', (_name, state, at, checks) => {
    const d = decide(state, { type: 'idle-tick' }, min(at), settings);
    expect(d.actions).toEqual(checks ? [{ type: 'check-updates' }] : []);
  });

  it('does nothing while a cycle is pending', () => {
    const { state } = replay([[500, change()]], afterFullCycle(10));
    expect(decide(state, { type: 'idle-tick' }, min(501), settings).actions).toEqual([]);
  });

  it('starts a cycle at once when the check found new commits', () => {
    const d = decide(afterFullCycle(10), { type: 'updates-found', components: 'all', rebuild: 'all' }, min(430), settings);
    expect(d.actions).toEqual([expect.objectContaining({ type: 'start-cycle', cycle: expect.objectContaining({ trigger: 'idle-check', kind: 'full' }) })]);
  });
});

describe('decide: what a cycle that did not deploy leaves for the next', () => {
  // A partial cycle staging-2 for api, started at minute 100 after a full one.
  const apiCycleRunning = () => replay([[95, change({ components: ['api'], rebuild: ['api'] })], [100, timer('staging-2')]], afterFullCycle(10)).state;
  const nextStart = (state: EnvState, at: number) => {
    const { log } = replay([[at, change({ components: ['web'], rebuild: ['web'] })], [at + 60, timer(`staging-${state.seq + 1}`)]], state);
    return log.flatMap(([, a]) => (a.type === 'start-cycle' ? [a.cycle] : []))[0];
  };

  it.each([
    ['failed at build', 'failed', false],
    ['was cancelled', 'cancelled', false],
  ] as const)('a cycle that %s hands its components and rebuilds to the next cycle, whatever that one is for', (_name, result, deployed) => {
    const { state } = replay([[120, finished('staging-2', result, { deployed })]], apiCycleRunning());
    expect(state.carry).toEqual({ components: ['api'], rebuild: ['api'] });
    const next = nextStart(state, 200);
    expect(next).toMatchObject({ components: ['api', 'web'], rebuild: ['api', 'web'], reason: expect.stringContaining('carries api over from a cycle that did not deploy') });
  });

  it('a cycle whose deploy succeeded leaves nothing, even when a later stage failed', () => {
    const { state } = replay([[120, finished('staging-2', 'failed', { deployed: true })]], apiCycleRunning());
    expect(state.carry).toBeNull();
    expect(nextStart(state, 200)).toMatchObject({ components: ['web'], rebuild: ['web'] });
  });

  it('the carry is taken on once: a cycle that deploys it clears it, one that fails again keeps it', () => {
    const failed = replay([[120, finished('staging-2', 'failed')]], apiCycleRunning()).state;
    const running = replay([[200, change({ components: ['web'], rebuild: [] })], [260, timer('staging-3')]], failed).state;
    expect(running).toMatchObject({ carry: null, running: { components: ['api', 'web'], rebuild: ['api'] } });
    expect(replay([[300, finished('staging-3')]], running).state.carry).toBeNull();
    expect(replay([[300, finished('staging-3', 'failed')]], running).state.carry).toEqual({ components: ['api', 'web'], rebuild: ['api'] });
  });

  it('carries into a cycle that was already waiting, and into one the idle check starts', () => {
    const waiting = replay([[110, change({ components: ['web'], rebuild: [] })]], { ...apiCycleRunning(), running: { ...apiCycleRunning().running!, kind: 'full' } }).state;
    const after = decide(waiting, finished('staging-2', 'failed'), min(120), { ...settings, throttleMs: 0 });
    expect(after.actions).toEqual([expect.objectContaining({ type: 'start-cycle', cycle: expect.objectContaining({ components: ['api', 'web'], rebuild: ['api'] }) })]);
    const idle = replay([[120, finished('staging-2', 'failed')]], apiCycleRunning()).state;
    const found = decide(idle, { type: 'updates-found', components: ['web'], rebuild: [] }, min(600), settings);
    expect(found.actions).toEqual([expect.objectContaining({ type: 'start-cycle', cycle: expect.objectContaining({ trigger: 'idle-check', components: ['api', 'web'], rebuild: ['api'] }) })]);
  });
});

describe('decide: the fullInterval clock counts full cycles that tested', () => {
  const fullRunning = () => replay([[-5, change()], [0, timer('staging-1')]]).state;

  it.each([
    ['failed before its tests', 'failed', false, 'full'],
    ['was cancelled', 'cancelled', false, 'full'],
    ['tested and failed there', 'failed', true, 'partial'],
    ['tested and passed', 'succeeded', true, 'partial'],
  ] as const)('after a full cycle that %s, the next cycle an hour later is %s', (_name, result, tested, kind) => {
    const { state } = replay([[10, finished('staging-1', result, { deployed: tested, tested })]], fullRunning());
    expect(state.lastFullStartedAt).toBe(tested ? min(0) : null);
    const { log } = replay([[55, change()], [60, timer('staging-2')]], state);
    expect(starts(log)).toEqual([expect.objectContaining({ id: 'staging-2', kind })]);
  });

  it('counts from the start of the last full cycle that tested, not from a later one that did not', () => {
    const tested = afterFullCycle(10); // full cycle staging-1 at minute 0, tested
    const second = replay([[355, change()], [360, timer('staging-2')]], tested).state;
    expect(second.running).toMatchObject({ id: 'staging-2', kind: 'full' });
    const failed = replay([[370, finished('staging-2', 'failed', { deployed: false, tested: false })]], second).state;
    expect(failed.lastFullStartedAt).toBe(min(0));
    const { log } = replay([[395, change()], [400, timer('staging-3')]], failed);
    expect(starts(log)).toEqual([expect.objectContaining({ id: 'staging-3', kind: 'full' })]);
    const passed = replay([[370, finished('staging-2')]], second).state;
    expect(passed.lastFullStartedAt).toBe(min(360));
  });
});

describe('decide: invariants over random histories', () => {
  it('keeps one cycle at a time and timers in the future', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let state = initialEnvState('staging');
    let now = T0;
    for (let step = 0; step < 600; step++) {
      now += Math.floor(rand() * 10 * 60_000);
      const ids = [state.running?.id, state.pending?.id].filter((x): x is string => !!x);
      const pick = rand();
      const event: PolicyEvent =
        pick < 0.4
          ? change({ trusted: rand() > 0.1 })
          : pick < 0.5
            ? command(rand() > 0.5 ? 'deploy' : 'trigger', { role: rand() > 0.2 ? 'maintainer' : 'untrusted' })
            : pick < 0.75 && ids.length
              ? timer(ids[Math.floor(rand() * ids.length)]!)
              : pick < 0.95 && state.running
                ? finished(state.running.id, rand() > 0.8 ? 'failed' : state.running.cancelling ? 'cancelled' : 'succeeded')
                : { type: 'idle-tick' };
      const d = decide(state, event, now, settings);
      for (const a of d.actions) {
        if (a.type === 'schedule-timer') expect(a.runAt).toBeGreaterThanOrEqual(now);
        if (a.type === 'start-cycle') {
          // A cycle starts only on a free environment, or as the running one reports its end.
          const freed = event.type === 'cycle-finished' && event.cycleId === state.running?.id;
          expect(state.running === null || freed).toBe(true);
        }
      }
      if (d.state.running && d.state.pending) expect(d.state.running.id).not.toBe(d.state.pending.id);
      expect(d.actions.filter((a) => a.type === 'start-cycle').length).toBeLessThanOrEqual(1);
      state = d.state;
    }
  });
});
