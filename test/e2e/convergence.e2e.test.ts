import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startStack, waitUntil, type Stack } from '../support/stack.js';

const sha = () => randomBytes(20).toString('hex');
const PUSHES = 200;

/** Push number `i` of a chain: before → after as GitHub sends them, pushed_at one second apart. */
const chainedPush = (chain: string[], i: number, pushedAt: number) => (p: any) => {
  p.ref = 'refs/heads/main';
  p.before = chain[i - 1];
  p.after = chain[i];
  p.repository.full_name = 'Codertocat/Hello-World';
  p.repository.pushed_at = pushedAt + i;
  p.commits = [{ ...(p.head_commit ?? {}), id: chain[i], added: [], removed: [], modified: ['examples/demo-service/src/server.mjs'] }];
  p.head_commit = p.commits[0];
};

describe('staging converges on the newest main through scheduler crashes', () => {
  let stack: Stack | undefined;

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
  }, 30_000);

  it('two scheduler replicas, a burst of chained pushes, every replica killed -9 twice mid-event: the last cycle deploys the newest main', async () => {
    stack = await startStack({
      env: {
        DEMO_DEPLOY_MS: '100',
        STAGECRAFT_POLICY__SETTLE: '200ms',
        STAGECRAFT_POLICY__SETTLE_MAX: '600ms',
        STAGECRAFT_POLICY__THROTTLE: '200ms',
      },
      apps: ['ingress'],
    });
    const s = stack;
    // Two scheduler replicas and every stage as its own process, started two at a time (two cores).
    for (const pair of [['scheduler', 'scheduler'], ['compose', 'build'], ['drain', 'deploy'], ['test-kernel', 'dashboard']] as const) {
      await Promise.all(pair.map((name) => s.startApp(name)));
    }
    const chain = Array.from({ length: PUSHES + 1 }, sha);
    const pushedAt = Math.floor(Date.now() / 1000) - PUSHES;
    const send = async (from: number, to: number) => {
      // A few at a time, as GitHub's deliveries overlap: the queue fills faster than it drains.
      for (let i = from; i <= to; i += 10) {
        const batch = Array.from({ length: Math.min(10, to - i + 1) }, (_, k) => s.sendWebhook('push', chainedPush(chain, i + k, pushedAt)));
        expect((await Promise.all(batch)).every((r) => r.status === 202)).toBe(true);
      }
    };
    /** Once `done` events are processed, kills every scheduler the moment one holds an event, then starts two again. */
    const crashWhileInFlight = async (done: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const c = await s.jobCounts();
        if ((c['completed'] ?? 0) >= done && (c['active'] ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error(`no event in flight after ${done} were processed: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(await s.killAll('scheduler')).toBe(2);
      await Promise.all([s.startApp('scheduler'), s.startApp('scheduler')]);
    };

    const sending = send(1, PUSHES);
    await crashWhileInFlight(PUSHES / 4);
    await crashWhileInFlight(PUSHES / 2 + 20);
    await sending;

    // Every event applied (the ones in flight re-run once their lock expired), nothing failed.
    await waitUntil('every event processed', async () => {
      const c = await s.jobCounts();
      return c['completed'] === PUSHES && !c['waiting'] && !c['active'] && !c['delayed'] ? c : null;
    }, 30_000);
    // Then nothing running and nothing pending: the last cycle is the one staging ends on.
    const cycles = await waitUntil('staging at rest', async () => {
      const { environments } = await s.api<{ environments: Array<{ name: string; running: unknown; pending: unknown }> }>('/api/environments');
      const staging = environments.find((e) => e.name === 'staging')!;
      if (staging.running || staging.pending) return null;
      const all = await s.cycles();
      return all.length > 0 && all.every((c) => c.state !== 'running') ? all : null;
    }, 40_000);
    const last = cycles.at(-1);
    expect(last.mainSha).toBe(chain[PUSHES]);
    expect(last.state).toBe('succeeded');
    // Starting the processes is most of its time; a loaded machine needs the margin.
  }, 120_000);
});
