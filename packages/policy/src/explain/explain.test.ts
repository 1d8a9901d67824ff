import { describe, expect, it } from '@jest/globals';
import { decide } from '../decide.js';
import { initialEnvState } from '../initial-env-state.js';
import type { EnvState, PolicyAction, PolicyEvent } from '../types.js';
import { defaultSettings as settings } from '../test-support/default-settings.js';
import { explain } from './explain.js';
import { describeNext, describeRunning, renderExplanations } from './describe-explanation.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const min = (n: number) => T0 + n * 60_000;
const change: PolicyEvent = { type: 'change', source: 'push', sha: 'abc1234', repo: null, pr: null, trusted: true, components: ['api'], rebuild: ['api'] };
const trigger: PolicyEvent = { type: 'command', command: 'trigger', by: 'maint', role: 'maintainer', repo: null, pr: null, sha: null, prAuthorTrusted: true, isAuthor: false };

function replay(steps: Array<[number, PolicyEvent]>, from: EnvState = initialEnvState('staging')) {
  let state = from;
  const actions: PolicyAction[] = [];
  for (const [m, event] of steps) {
    const d = decide(state, event, min(m), settings);
    state = d.state;
    actions.push(...d.actions);
  }
  return { state, actions };
}
/** A full cycle started at minute 0 and finished at minute 10. */
const afterFull = () => replay([[-5, change], [0, { type: 'timer-fired', cycleId: 'staging-1' }], [10, { type: 'cycle-finished', cycleId: 'staging-1', result: 'succeeded', deployed: true, tested: true }]]).state;

describe('explain', () => {
  it('says nothing runs and nothing is scheduled on a fresh environment', () => {
    const e = explain(initialEnvState('staging'), settings, T0);
    expect(e).toEqual({ env: 'staging', running: null, next: null, lastFinishedAt: null, lastFullStartedAt: null, bisection: null });
    expect(describeRunning(e, T0)).toBe('nothing running');
    expect(describeNext(e, T0)).toBe('nothing scheduled: waiting for a change or a command');
  });

  it('explains a settling cycle: when, why then, and why partial', () => {
    const { state } = replay([[58, change], [59, change]], afterFull());
    const e = explain(state, settings, min(60));
    expect(e.next).toEqual({
      id: 'staging-2',
      at: min(64),
      waitingFor: 'settle',
      reason: 'settle until 13:04:00 UTC (2 changes)',
      kind: 'partial',
      kindReason: 'partial: the last full cycle started 1h4m before this one, within fullInterval 6h',
      trigger: 'change',
      changes: 2,
      firstChangeAt: min(58),
      requestedBy: null,
    });
    expect(describeNext(e, min(60))).toBe(
      'staging-2 (change): settle until 13:04:00 UTC (2 changes), in 4m; partial: the last full cycle started 1h4m before this one, within fullInterval 6h',
    );
  });

  it('explains a throttled cycle with the finish it counts from', () => {
    const { state } = replay([[15, change]], afterFull());
    const e = explain(state, settings, min(15));
    expect(e.next).toMatchObject({ at: min(40), waitingFor: 'throttle', reason: 'throttled until 12:40:00 UTC: the last cycle finished at 12:10:00 UTC' });
  });

  it('explains a settle cap by the time since the first change', () => {
    const { state } = replay([[100, change], [104, change], [108, change], [112, change]], afterFull());
    expect(explain(state, settings, min(112)).next).toMatchObject({ waitingFor: 'settle-cap', reason: 'settle cap: at 13:55:00 UTC, 15m after the first change' });
  });

  it('explains a cycle behind a running one, and the running one', () => {
    const { state } = replay([[-5, change], [0, { type: 'timer-fired', cycleId: 'staging-1' }], [3, change]]);
    const e = explain(state, settings, min(4));
    expect(e.running).toEqual({ id: 'staging-1', kind: 'full', trigger: 'change', startedAt: T0, restarts: 0, cancelling: false });
    expect(e.next).toMatchObject({ waitingFor: 'running-cycle', reason: 'after staging-1 finishes', kind: 'partial' });
    expect(describeRunning(e, min(4))).toBe('staging-1 (full, change) for 4m');
  });

  it('names a trigger command as the reason for a full cycle', () => {
    const running = replay([[-5, change], [0, { type: 'timer-fired', cycleId: 'staging-1' }]]).state;
    const { state } = replay([[3, trigger]], running);
    expect(explain(state, settings, min(4)).next).toMatchObject({ kind: 'full', kindReason: 'full: requested by a trigger command', requestedBy: 'maint' });
  });

  it('judges the kind at the time the cycle is due, the way decide() judges it when it starts', () => {
    // The last full cycle started at minute 0; fullInterval (6 h) passes at minute 360, while the
    // cycle below settles until minute 362.
    const { state } = replay([[357, change]], afterFull());
    const e = explain(state, settings, min(357));
    expect(e.next).toMatchObject({ at: min(362), kind: 'full' });
    const started = decide(state, { type: 'timer-fired', cycleId: e.next!.id }, e.next!.at, settings).actions.find((a) => a.type === 'start-cycle');
    expect(started).toMatchObject({ cycle: { kind: e.next!.kind, reason: expect.stringContaining(e.next!.kindReason) } });
  });

  it('renders the status reply line by line', () => {
    const { state } = replay([[58, change]], afterFull());
    expect(renderExplanations([explain(state, settings, min(60)), explain(initialEnvState('production'), settings, min(60))], min(60))).toBe(
      [
        '**staging**: nothing running; next: staging-2 (change): settle until 13:03:00 UTC (1 change), in 3m; partial: the last full cycle started 1h3m before this one, within fullInterval 6h; last cycle finished 50m ago.',
        '**production**: nothing running; nothing scheduled.',
      ].join('\n'),
    );
  });

  it('writes times with the clock it is given', () => {
    const { state } = replay([[58, change]], afterFull());
    expect(describeNext(explain(state, settings, min(60)), min(60), () => 'SOON')).toMatch(/^staging-2 \(change\): settle until SOON \(1 change\), in 3m;/);
  });

  it("says when a bisection runs, which step it is at, and that changes wait for its verdict", () => {
    const candidates = [1, 2, 3, 4, 5, 6].map((n) => ({ repo: 'acme/app', number: n, sha: `h${n}` }));
    const failed: PolicyEvent = { type: 'cycle-finished', cycleId: 'staging-2', result: 'failed', deployed: false, tested: false, failedStage: 'deploy', candidates };
    const { state } = replay([[58, change], [63, { type: 'timer-fired', cycleId: 'staging-2' }], [70, failed], [75, { type: 'cycle-finished', cycleId: 'staging-3', result: 'failed', deployed: false, tested: false }], [78, change]], afterFull());
    const e = explain(state, settings, min(80));
    expect(e.bisection).toEqual({
      origin: 'staging-2',
      stage: 'deploy',
      step: 2,
      maxSteps: 3,
      candidates: 6,
      runningCycle: 'staging-4',
      reason: "bisecting staging-2's deploy failure: step 2 of at most 3",
    });
    expect(e.running).toMatchObject({ id: 'staging-4', trigger: 'bisection', bisect: 'staging-2' });
    expect(describeRunning(e, min(80))).toBe("staging-4 (partial, bisection) for 5m: bisecting staging-2's deploy failure: step 2 of at most 3");
    expect(e.next).toMatchObject({ id: 'staging-5', waitingFor: 'running-cycle', reason: "after the bisection of staging-2 gives its verdict (bisecting staging-2's deploy failure: step 2 of at most 3)" });
    expect(renderExplanations([e], min(80))).toContain("running staging-4 (partial, bisection) for 5m: bisecting staging-2's deploy failure: step 2 of at most 3; next: staging-5 (change): after the bisection of staging-2");
  });

  it('says nothing of a bisection once it gave its verdict', () => {
    const candidates = [{ repo: 'acme/app', number: 1, sha: 'h1' }];
    const { state } = replay(
      [
        [58, change],
        [63, { type: 'timer-fired', cycleId: 'staging-2' }],
        [70, { type: 'cycle-finished', cycleId: 'staging-2', result: 'failed', deployed: false, tested: false, failedStage: 'deploy', candidates }],
        [75, { type: 'cycle-finished', cycleId: 'staging-3', result: 'succeeded', deployed: true, tested: false }],
      ],
      afterFull(),
    );
    expect(explain(state, settings, min(76)).bisection).toBeNull();
  });
});
