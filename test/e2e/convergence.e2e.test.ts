import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startStack, waitUntil, type Stack } from '../support/stack.js';

const sha = () => randomBytes(20).toString('hex');
const PUSHES = 200;

/** Push number `i` of a chain: before → after as GitHub sends them, pushed_at one second apart. */
const chainedPush = (chain: string[], i: number, pushedAt: number) => ({
  branch: 'main',
  before: chain[i - 1]!,
  sha: chain[i]!,
  pushedAt: pushedAt + i,
  paths: ['examples/demo-service/src/server.mjs'],
});

/** `@stagecraft deploy` from a maintainer of the e2e config, on PR #1. */
const maintainerDeploy = { action: 'created', body: '@stagecraft deploy', author: 'Codertocat', number: 1 };

describe('staging converges on the newest main through scheduler crashes', () => {
  let stack: Stack | undefined;

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
  }, 30_000);

  it('two scheduler replicas, a burst of chained pushes, every replica killed -9 twice mid-event: the last cycle deploys the newest main', async () => {
    stack = await startStack({
      replicas: { scheduler: 2 },
      env: {
        DEMO_DEPLOY_MS: '100',
        STAGECRAFT_POLICY__SETTLE: '200ms',
        STAGECRAFT_POLICY__SETTLE_MAX: '600ms',
        STAGECRAFT_POLICY__THROTTLE: '200ms',
      },
    });
    const s = stack;
    const chain = Array.from({ length: PUSHES + 1 }, sha);
    const pushedAt = Math.floor(Date.now() / 1000) - PUSHES;
    /**
     * Pushes `from`..`to` arrive as one burst (held while they are sent, as a burst of deliveries
     * lands at once), then every scheduler is killed once `killAt` are processed with more in flight.
     */
    const burstThenCrash = async (from: number, to: number, killAt: number) => {
      await s.setQueuePaused('events', true);
      for (let i = from; i <= to; i += 10) {
        const batch = Array.from({ length: Math.min(10, to - i + 1) }, (_, k) => s.sendWebhook('push', chainedPush(chain, i + k, pushedAt)));
        expect((await Promise.all(batch)).every((r) => r.status === 202)).toBe(true);
      }
      await s.setQueuePaused('events', false);
      // Polled tightly: two replicas drain a burst in well under a second.
      for (const deadline = Date.now() + 30_000; ; ) {
        const c = await s.jobCounts();
        if ((c['completed'] ?? 0) >= killAt && (c['active'] ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error(`no event in flight once ${killAt} were processed: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(await s.killAll('scheduler')).toBe(2);
    };

    // The launcher starts the killed replicas again, as it does after any crash.
    await burstThenCrash(1, PUSHES / 2, PUSHES / 5);
    await burstThenCrash(PUSHES / 2 + 1, PUSHES, PUSHES - PUSHES / 5);

    // Every event applied (the ones in flight re-run once their lock expired), nothing failed.
    await waitUntil('every event processed', async () => {
      const c = await s.jobCounts();
      return c['completed'] === PUSHES && !c['waiting'] && !c['active'] && !c['delayed'] ? c : null;
    }, 30_000);
    const atRest = (what: string, after = 0) =>
      waitUntil(what, async () => {
        const { environments } = await s.api<{ environments: Array<{ name: string; running: unknown; pending: unknown }> }>('/api/environments');
        const staging = environments.find((e) => e.name === 'staging')!;
        if (staging.running || staging.pending) return null;
        const all = await s.cycles();
        return all.length > after && all.every((c) => c.state !== 'running') ? all : null;
      }, 40_000);
    // Nothing running and nothing pending: the last cycle is the one staging ends on.
    const cycles = await atRest('staging at rest after the burst');
    expect(cycles.at(-1)).toMatchObject({ mainSha: chain[PUSHES], state: 'succeeded' });

    // And main's head did not move back afterwards: a cycle a maintainer asks for now deploys it too.
    await s.sendWebhook('issue_comment', maintainerDeploy);
    const requested = (await atRest('the requested cycle', cycles.length)).at(-1);
    expect(requested).toMatchObject({ trigger: 'deploy-command', mainSha: chain[PUSHES], state: 'succeeded' });
    // Starting the processes is most of its time; a loaded machine needs the margin.
  }, 120_000);
});
