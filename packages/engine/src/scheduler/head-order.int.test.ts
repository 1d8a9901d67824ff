import { afterEach, describe, expect, it } from '@jest/globals';
import { initialEnvState } from '@stagecraft/policy';
import type { NormalizedEvent } from '@stagecraft/queue';
import { SchedulerEngine } from './scheduler-engine.js';
import { startEngineHarness, type EngineHarness } from '../testing/engine-harness.js';
import { commandEvent, pullRequestEvent, pushEvent } from '../testing/events.js';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const T = Date.UTC(2026, 10, 25, 12, 0, 0);
/** A harness whose cycles never start on their own: these tests look at heads and state only. */
const quiet = () => startEngineHarness({ workers: false, settings: { settleMs: 60_000, settleMaxMs: 120_000 } });
const mainHead = async (h: EngineHarness) => (await h.engine['r'].heads.main('acme/app')) ?? null;
const prHead = async (h: EngineHarness, pr: number) => (await h.engine['r'].heads.getPr('acme/app', pr))?.sha ?? null;
const push = (sha: string, before: string, over: Partial<Extract<NormalizedEvent, { kind: 'push' }>> = {}) => pushEvent({ sha, before, ...over });

/** An engine of the same harness whose process "dies" when it adds a job of this name to this queue. */
function crashingReplica(h: EngineHarness, what: 'timers' | 'notifications', name: string): SchedulerEngine {
  const queue = h.engine['r'][what]!;
  const add = (async (jobName: string, ...rest: unknown[]) => {
    if (jobName === name) throw new Error('scheduler killed between commit and apply');
    return (queue.add as (...args: unknown[]) => Promise<unknown>)(jobName, ...rest);
  }) as typeof queue.add;
  return new SchedulerEngine({ ...h.engine['r'], [what]: { add } });
}

describe('heads move only forward, whatever order the events come in', () => {
  it.each([
    ['the push chain says which came first (same pushed_at, the successor arrived first)', [push('b', 'a', { pushedAt: T }), push('a', 'z', { pushedAt: T })], 'b'],
    ['pushed_at says which came first (the newer arrived first)', [push('c', 'b', { pushedAt: T + 2000 }), push('a', 'z', { pushedAt: T })], 'c'],
    ['the chain goes forward even when pushed_at went back (a force-push with an older date)', [push('a', 'z', { pushedAt: T + 5000 }), push('b', 'a', { pushedAt: T })], 'b'],
    ['arrival decides when the events say nothing', [push('a', 'z'), push('b', 'y')], 'b'],
  ])('an older push delivered after a newer one: %s', async (_name, events, expected) => {
    h = await quiet();
    for (const ev of events) await h.engine.handleEvent(ev);
    expect(await mainHead(h)).toBe(expected);
    // Both still count as changes: ordering decides the heads, not whether a cycle is due.
    expect((await h.engine['r'].states.load('staging')).state.pending?.changes).toBe(2);
  });

  it('two replicas racing on a chain of pushes end on the newest', async () => {
    h = await startEngineHarness({ workers: false, replicas: 2, settings: { settleMs: 60_000, settleMaxMs: 120_000 } });
    const shas = Array.from({ length: 41 }, (_, i) => `m${i}`);
    const events = shas.slice(1).map((sha, i) => push(sha, shas[i]!, { pushedAt: T + Math.floor(i / 4) * 1000 }));
    // Replica 0 takes the even events, replica 1 the odd ones, newest first: every adjacent pair is reordered.
    const take = (parity: number) => events.filter((_, i) => i % 2 === parity).reverse();
    await Promise.all([0, 1].map(async (r) => {
      for (const ev of take(r)) await h!.engines[r]!.handleEvent(ev);
    }));
    expect(await mainHead(h)).toBe('m40');
  });

  it('a PR: an older update after a newer one, and an update after its close, change nothing; a reopen does', async () => {
    h = await quiet();
    const at = (s: number) => new Date(T + s * 1000).toISOString();
    await h.engine.handleEvent(pullRequestEvent({ pr: 7, sha: 'p2', updatedAt: at(2) }));
    await h.engine.handleEvent(pullRequestEvent({ pr: 7, sha: 'p1', updatedAt: at(1) }));
    expect(await prHead(h, 7)).toBe('p2');
    await h.engine.handleEvent(pullRequestEvent({ pr: 7, action: 'closed', sha: 'p2', updatedAt: at(3) }));
    await h.engine.handleEvent(pullRequestEvent({ pr: 7, sha: 'p2', updatedAt: at(2) }));
    expect(await prHead(h, 7)).toBeNull();
    await h.engine.handleEvent(pullRequestEvent({ pr: 7, action: 'reopened', sha: 'p3', updatedAt: at(4) }));
    expect(await prHead(h, 7)).toBe('p3');
  });

  it('the same push re-run after a crash between its commit and applying it leaves the newer head', async () => {
    h = await quiet();
    const older = push('a', 'z', { pushedAt: T });
    // The first push of a burst arms the settle timer: applying that is where this replica dies.
    await expect(crashingReplica(h, 'timers', 'timer').handleEvent(older)).rejects.toThrow('scheduler killed');
    expect(await mainHead(h)).toBe('a');
    await h.engine.handleEvent(push('b', 'a', { pushedAt: T + 1000 }));
    // BullMQ hands the stalled event to another replica.
    await h.engine.handleEvent(older);
    expect(await mainHead(h)).toBe('b');
    const { state, outbox } = await h.engine['r'].states.load('staging');
    expect(state.pending?.changes).toBe(2);
    expect(outbox).toEqual([]);
  });

  it('a command re-run after a crash between its commit and applying it is answered once', async () => {
    h = await startEngineHarness({ workers: false, notifications: true });
    const deploy = commandEvent({ by: 'maint', pr: 42, isPullRequest: true, commentId: 901 });
    // It dies as it posts the answer: the deploy is decided and committed by then.
    await expect(crashingReplica(h, 'notifications', 'reply').handleEvent(deploy)).rejects.toThrow('scheduler killed');
    expect((await h.notificationJobs()).filter((j) => j.type === 'reply')).toEqual([]);
    await h.engine.handleEvent(deploy);
    await h.engine.handleEvent(deploy);
    expect((await h.notificationJobs()).filter((j) => j.type !== 'cycle')).toEqual([
      expect.objectContaining({ id: 'react.901', type: 'reaction' }),
      expect.objectContaining({ id: `reply.${deploy.id}`, type: 'reply', issue: 42, body: 'Started a partial cycle now (staging-1).' }),
    ]);
    expect(await h.listCycles()).toHaveLength(1);
  });

  it('an outbox two replicas apply at once starts the cycle its idle check found once', async () => {
    h = await startEngineHarness({ workers: false, replicas: 2 });
    await h.engine.handleEvent(push('a', 'z'));
    const states = h.engine['r'].states;
    const stored = await states.load('staging');
    // An idle check was decided and committed; the replica that committed it died before applying it.
    await states.commit('staging', stored.version, { ...initialEnvState('staging'), seq: stored.state.seq }, [{ type: 'check-updates' }], null);
    await Promise.all(h.engines.map((e) => e.dispatch('staging', null, { type: 'timer-fired', cycleId: 'none' })));
    const { state } = await states.load('staging');
    expect(state.running).toMatchObject({ trigger: 'idle-check' });
    expect(state.pending).toBeNull();
    expect(await h.listCycles()).toHaveLength(1);
  });
});
