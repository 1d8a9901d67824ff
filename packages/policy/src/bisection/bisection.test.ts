import { describe, expect, it } from '@jest/globals';
import { decide } from '../decide.js';
import { initialEnvState } from '../initial-env-state.js';
import { defaultSettings } from '../test-support/default-settings.js';
import type { Decision, EnvState, PolicyAction, PolicyEvent, PrRef } from '../types.js';
import { maxBisectionSteps } from './bisection-search.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const min = (n: number) => T0 + n * 60_000;
const prs = (n: number): PrRef[] => Array.from({ length: n }, (_, i) => ({ repo: 'acme/app', number: i + 1, sha: `h${i + 1}` }));

/** A state whose partial cycle staging-1 (api) is running. */
function running(): EnvState {
  const started = decide(initialEnvState('staging'), { type: 'command', command: 'deploy', by: 'maint', role: 'maintainer', repo: null, pr: null, sha: null, prAuthorTrusted: true, isAuthor: false }, min(0), defaultSettings);
  return started.state;
}

const failed = (cycleId: string, stage: string | null, candidates: PrRef[] = []): Extract<PolicyEvent, { type: 'cycle-finished' }> => ({
  type: 'cycle-finished',
  cycleId,
  result: 'failed',
  deployed: false,
  tested: false,
  failedStage: stage,
  candidates,
});
const ended = (cycleId: string, passed: boolean): PolicyEvent => ({ type: 'cycle-finished', cycleId, result: passed ? 'succeeded' : 'failed', deployed: passed, tested: false, failedStage: passed ? null : 'deploy', candidates: [] });

const startOf = (d: Decision) => d.actions.find((a): a is Extract<PolicyAction, { type: 'start-cycle' }> => a.type === 'start-cycle')?.cycle;

/**
 * Runs a bisection of `n` candidates where adding candidate `culprit` (1-based; 0 = main alone is
 * broken) makes deploy fail, answering each step as a real stage would. Returns the steps' PR
 * counts and the verdict.
 */
function bisect(n: number, culprit: number) {
  let d = decide(running(), failed('staging-1', 'deploy', prs(n)), min(10), defaultSettings);
  const tried: number[] = [];
  for (let guard = 0; guard < 20; guard++) {
    const step = startOf(d);
    if (!step?.bisect) return { tried, d };
    tried.push(step.bisect.prs.length);
    const breaks = culprit === 0 || step.bisect.prs.some((p) => p.number === culprit);
    d = decide(d.state, ended(step.id, !breaks), min(20 + guard), defaultSettings);
  }
  throw new Error('the bisection did not end');
}

describe('bisection', () => {
  it('starts when a cycle with PRs fails in deploy: a step with main and the first half of the candidates, marked as such', () => {
    const d = decide(running(), failed('staging-1', 'deploy', prs(6)), min(10), defaultSettings);
    expect(startOf(d)).toMatchObject({ id: 'staging-2', kind: 'partial', trigger: 'bisection', bisect: { origin: 'staging-1', stage: 'deploy', step: 1, maxSteps: 3 } });
    expect(startOf(d)!.bisect!.prs.map((p) => p.number)).toEqual([1, 2]);
    expect(d.state.running).toMatchObject({ id: 'staging-2', bisect: 'staging-1' });
  });

  it.each([1, 2, 3, 4, 5, 6])('finds the PR that breaks deploy among 6 (PR %i) in at most ⌈log2 n⌉ + 1 steps and excludes it', (culprit) => {
    const { tried, d } = bisect(6, culprit);
    expect(tried.length).toBeLessThanOrEqual(Math.ceil(Math.log2(6)) + 1);
    expect(d.actions[0]).toMatchObject({ type: 'exclude-pr', pr: { number: culprit, sha: `h${culprit}` }, origin: 'staging-1', stage: 'deploy' });
    // Then a normal cycle at once, not a bisection step.
    const next = startOf(d)!;
    expect(next.bisect).toBeUndefined();
    expect(next.trigger).toBe('bisection');
    expect(d.state.bisection).toBeNull();
  });

  it.each([1, 2, 5, 16, 100])('never runs more than ⌈log2 n⌉ + 1 steps (n = %i, worst case)', (n) => {
    for (const culprit of [0, 1, n]) {
      const { tried } = bisect(n, culprit);
      expect(tried.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
      expect(tried.length).toBeLessThanOrEqual(maxBisectionSteps(n));
    }
  });

  it('blames main when main alone fails, and excludes nobody', () => {
    const { tried, d } = bisect(6, 0);
    expect(tried).toContain(0);
    expect(d.actions[0]).toMatchObject({ type: 'blame-main', origin: 'staging-1', stage: 'deploy' });
    expect(d.actions.some((a) => a.type === 'exclude-pr')).toBe(false);
  });

  it('is not started by a failure in compose or drain, by a cycle without PRs, or when bisect is off', () => {
    for (const event of [failed('staging-1', 'compose', prs(3)), failed('staging-1', 'drain', prs(3)), failed('staging-1', 'deploy', [])]) {
      expect(startOf(decide(running(), event, min(10), defaultSettings))).toBeUndefined();
    }
    expect(startOf(decide(running(), failed('staging-1', 'build', prs(3)), min(10), { ...defaultSettings, bisect: false }))).toBeUndefined();
  });

  it('is never cancelled by changes or commands: they wait for the verdict, then run in the cycle after it', () => {
    let d = decide(running(), failed('staging-1', 'deploy', prs(2)), min(10), defaultSettings);
    const step = startOf(d)!;
    d = decide(d.state, { type: 'change', source: 'push', sha: 'm2', repo: 'acme/app', pr: null, trusted: true, components: ['web'], rebuild: ['web'] }, min(11), defaultSettings);
    expect(d.actions.some((a) => a.type === 'cancel-cycle')).toBe(false);
    d = decide(d.state, { type: 'command', command: 'deploy', by: 'maint', role: 'maintainer', repo: null, pr: null, sha: null, prAuthorTrusted: true, isAuthor: false }, min(12), defaultSettings);
    expect(d.actions.some((a) => a.type === 'cancel-cycle')).toBe(false);
    // Its timer fires while the step runs: nothing starts.
    expect(startOf(decide(d.state, { type: 'timer-fired', cycleId: d.state.pending!.id }, min(13), defaultSettings))).toBeUndefined();
    d = decide(d.state, ended(step.id, true), min(20), defaultSettings);
    const second = startOf(d)!;
    expect(second.bisect?.prs.map((p) => p.number)).toEqual([1]);
    d = decide(d.state, ended(second.id, false), min(21), defaultSettings);
    expect(d.actions[0]).toMatchObject({ type: 'exclude-pr', pr: { number: 1 } });
    // The waiting change and command run now, with what the failed cycle was for.
    expect(startOf(d)).toMatchObject({ trigger: 'deploy-command', requestedBy: 'maint' });
    expect(d.state.pending).toBeNull();
  });

  it('does not count as a full cycle, even when it runs the tests', () => {
    const full = decide(initialEnvState('staging'), { type: 'command', command: 'trigger', by: 'maint', role: 'maintainer', repo: null, pr: null, sha: null, prAuthorTrusted: true, isAuthor: false }, min(0), defaultSettings);
    let d = decide(full.state, { ...failed('staging-1', 'test-kernel', prs(1)), tested: true }, min(10), defaultSettings);
    expect(startOf(d)).toMatchObject({ kind: 'full', bisect: { stage: 'test-kernel' } });
    const lastFull = d.state.lastFullStartedAt;
    d = decide(d.state, { type: 'cycle-finished', cycleId: startOf(d)!.id, result: 'succeeded', deployed: true, tested: true, failedStage: null, candidates: [] }, min(20), defaultSettings);
    expect(d.state.lastFullStartedAt).toBe(lastFull);
  });

  it('gives up without a verdict when a step is cancelled, and runs staging again', () => {
    let d = decide(running(), failed('staging-1', 'deploy', prs(4)), min(10), defaultSettings);
    d = decide(d.state, { type: 'cycle-finished', cycleId: startOf(d)!.id, result: 'cancelled', deployed: false, tested: false }, min(11), defaultSettings);
    expect(d.actions[0]).toMatchObject({ type: 'bisection-abandoned', origin: 'staging-1' });
    expect(startOf(d)).toMatchObject({ trigger: 'bisection' });
    expect(startOf(d)!.bisect).toBeUndefined();
  });
});
