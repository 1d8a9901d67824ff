import { describe, expect, it } from '@jest/globals';
import { checksReason, checksVerdict, type CheckState } from './checks-verdict.js';
import { checkRunState, commitStatusState } from './check-state-of.js';

const report = (name: string, state: CheckState, type: 'run' | 'status' = 'run') => ({ type, name, state });

describe('checksVerdict', () => {
  it('is green when nothing is required, whatever is reported', () => {
    expect(checksVerdict([], [report('ci/build', 'failed')])).toEqual({ state: 'green', waiting: [], failed: [] });
  });

  it('waits for a required name nothing reported, and ignores names not required', () => {
    expect(checksVerdict(['ci/build', 'lint'], [report('ci/build', 'green'), report('coverage', 'failed')])).toEqual({ state: 'pending', waiting: ['lint'], failed: [] });
  });

  it('is failed when one required check failed, listing what still waits too', () => {
    expect(checksVerdict(['ci/build', 'lint', 'e2e'], [report('ci/build', 'failed'), report('lint', 'pending')])).toEqual({ state: 'failed', waiting: ['lint', 'e2e'], failed: ['ci/build'] });
  });

  it('counts a check run and a commit status of one name together: a failure first, then a pending one', () => {
    expect(checksVerdict(['ci'], [report('ci', 'green', 'run'), report('ci', 'failed', 'status')]).state).toBe('failed');
    expect(checksVerdict(['ci'], [report('ci', 'pending', 'status'), report('ci', 'green', 'run')]).state).toBe('pending');
    expect(checksVerdict(['ci'], [report('ci', 'green', 'status'), report('ci', 'green', 'run')]).state).toBe('green');
  });

  it('names each required check once, in the order required', () => {
    expect(checksVerdict(['lint', 'ci/build', 'lint'], []).waiting).toEqual(['lint', 'ci/build']);
  });

  it.each<[CheckState, string | null]>([
    ['green', null],
    ['pending', 'waiting for checks: ci/build'],
    ['failed', 'checks failed: ci/build'],
  ])('says why a %s head stays out', (state, reason) => {
    expect(checksReason(checksVerdict(['ci/build'], [report('ci/build', state)]))).toBe(reason);
  });
});

describe('the state of a check run and of a commit status', () => {
  it.each<[string, string | null, CheckState]>([
    ['queued', null, 'pending'],
    ['in_progress', null, 'pending'],
    ['waiting', null, 'pending'],
    ['completed', 'success', 'green'],
    ['completed', 'neutral', 'green'],
    ['completed', 'skipped', 'green'],
    ['completed', 'failure', 'failed'],
    ['completed', 'cancelled', 'failed'],
    ['completed', 'timed_out', 'failed'],
    ['completed', 'action_required', 'failed'],
    ['completed', 'stale', 'failed'],
  ])('check run %s/%s is %s', (status, conclusion, state) => {
    expect(checkRunState(status, conclusion)).toBe(state);
  });

  it.each<[string, CheckState]>([
    ['success', 'green'],
    ['pending', 'pending'],
    ['failure', 'failed'],
    ['error', 'failed'],
  ])('commit status %s is %s', (value, state) => {
    expect(commitStatusState(value)).toBe(state);
  });
});
