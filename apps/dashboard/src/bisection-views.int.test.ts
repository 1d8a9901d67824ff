import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { CycleRecord } from '@stagecraft/engine';
import { CatalogQueue } from '@stagecraft/queue';
import { pullRequestEvent, startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { createDashboardApp, SESSION_COOKIE } from './create-dashboard-app.js';
import type { EnvironmentsResponse } from './create-status-api.js';
import { serveLocally, testDashboardResources } from './test-support/test-dashboard.js';

// The executor contract, as the engine harness takes it (the dashboard does not depend on the executors package).
type StageExecutor = NonNullable<ReturnType<NonNullable<NonNullable<Parameters<typeof startEngineHarness>[0]>['executor']>>>;
type StageContext = Parameters<StageExecutor['run']>[0];
type ExecutorOutcome = Awaited<ReturnType<StageExecutor['run']>>;

/** A deploy that #4 at head h4 breaks; the second bisection step waits until the test lets it go on. */
class HeldDeploy implements StageExecutor {
  readonly description = 'deploy that #4 breaks';
  release: () => void = () => undefined;
  readonly held = new Promise<void>((resolve) => (this.release = resolve));
  holding = false;
  async run(ctx: StageContext): Promise<ExecutorOutcome> {
    if (ctx.bisect?.step === 2) {
      this.holding = true;
      await this.held;
    }
    const broken = ctx.prs.some((p) => p.number === 4 && p.sha === 'h4');
    return { status: broken ? 'failed' : 'succeeded', summary: broken ? 'rollout failed' : 'rolled out', details: null, outputTail: [] };
  }
}

describe('the dashboard shows a bisection as a tree, the exclusions in force and how to bring a PR back', () => {
  let h: EngineHarness | undefined;
  let deploy: HeldDeploy | undefined;
  const servers: Server[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    deploy?.release();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    for (const close of closers.splice(0)) await close();
    await h?.close();
    h = undefined;
  });

  async function startDashboard(harness: EngineHarness) {
    const { client: redis, keys } = harness;
    const events = new CatalogQueue('events', { connection: redis, prefix: harness.prefix });
    closers.push(() => events.close());
    const resources = testDashboardResources(redis, keys, { events, settings: harness.settings });
    const { server, base } = await serveLocally(express().use(createDashboardApp(resources)));
    servers.push(server);
    const session = await resources.sessions.create('maint', Date.now());
    return {
      page: async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie: `${SESSION_COOKIE}=${session.id}`, accept: 'text/html' } })).text(),
      environments: async () => (await (await fetch(`${base}/api/environments`, { headers: { authorization: 'Bearer api-token' } })).json()) as EnvironmentsResponse,
    };
  }

  it('while a step runs, and once the verdict excluded the culprit', async () => {
    const held = new HeldDeploy();
    deploy = held;
    h = await startEngineHarness({ executor: (stage) => (stage === 'deploy' ? held : null), notifications: true, settings: { settleMs: 100, settleMaxMs: 400, throttleMs: 0 } });
    const harness = h;
    for (const pr of [1, 2, 3, 4, 5, 6]) await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr, sha: `h${pr}`, author: 'alice' }));
    const dashboard = await startDashboard(h);
    await h.waitFor('the second step to deploy', async () => (held.holding ? true : null), 30_000);
    const cycles = await h.listCycles();
    const origin = cycles.find((c) => c.bisection) as CycleRecord;
    const [step1, step2] = cycles.filter((c) => c.bisect).sort((a, b) => a.bisect!.step - b.bisect!.step);

    // The overview: what runs now is a step, and changes wait for the verdict.
    const running = await dashboard.page('/');
    expect(running).toContain(`🔎 Bisecting ${origin.id}&#39;s deploy failure: step 2 of at most 3 (<a href="/cycles/${origin.id}">${origin.id}</a>); changes wait for its verdict.`);
    expect(running).toContain(`<li data-step="1"><a href="/cycles/${step1!.id}">${step1!.id}</a> · step 1 · main + #1, #2 · <span class="st-succeeded">passed</span></li>`);
    expect(running).toContain(`<li data-step="2"><a href="/cycles/${step2!.id}">${step2!.id}</a> · step 2 · main + #1, #2, #3, #4 · <span class="st-running">running</span></li>`);
    expect(running).toContain('<li data-testid="bisection-verdict"><span class="st-running">looking for the cause: step 2 of at most 3</span></li>');
    expect(running).toContain(`bisection step 2/3 of <a href="/cycles/${origin.id}">${origin.id}</a>`);
    // The step's page links to the failed cycle and shows the whole search.
    const stepPage = await dashboard.page(`/cycles/${step2!.id}`);
    expect(stepPage).toContain(`<h2>Bisection step 2 of at most 3</h2>`);
    expect(stepPage).toContain(`Of <a href="/cycles/${origin.id}" data-testid="bisection-origin">${origin.id}</a>'s deploy failure: main as ${origin.id} had it + #1, #2, #3, #4.`);
    expect(stepPage).toContain(`<section data-testid="bisection" data-origin="${origin.id}">`);
    expect((await dashboard.environments()).environments[0]!.bisection).toMatchObject({ origin: origin.id, stage: 'deploy', passing: 2 });

    held.release();
    await h.waitFor('the verdict', async () => ((await harness.cycles.get(origin.id))?.bisection?.verdict ? true : null), 30_000);
    const done = await dashboard.page(`/cycles/${origin.id}`);
    expect(done).toContain(`${origin.id}</a> <span class="st-failed">failed at deploy</span> with 6 suspect PR(s): #1, #2, #3, #4, #5, #6`);
    expect(done).toContain(
      '<li data-testid="bisection-verdict"><b>verdict:</b> <span class="st-failed">#4 excluded at h4: it breaks deploy</span> <span class="muted">(a push to it, or a maintainer\'s deploy, brings it back)</span></li>',
    );
    expect(done).toContain('<li data-step="3">');
    const overview = await dashboard.page('/');
    expect(overview).not.toContain('data-testid="bisecting"');
    expect(overview).toContain(`bisected: #4 excluded at h4: it breaks deploy`);
    expect(overview).toContain('<tr data-pr="#4"><td>#4</td><td><code>h4</code></td>');
    expect(overview).toContain(`it broke deploy in ${origin.id} (found by bisection in 3 cycles) (<a href="/cycles/${origin.id}">${origin.id}</a>)`);
    expect(overview).toContain('push a fix to it, or a maintainer comments `@stagecraft deploy` on it to take this head back as it is');
    const api = await dashboard.environments();
    expect(api.exclusions).toMatchObject([{ repo: 'acme/app', number: 4, sha: 'h4', cycleId: origin.id, stage: 'deploy' }]);
    expect(api.environments[0]!.bisection).toBeNull();

    // A push to #4 brings it back: the exclusion is no longer in force.
    await h.engine.handleEvent(pullRequestEvent({ action: 'synchronize', pr: 4, sha: 'h4-fixed', author: 'alice' }));
    expect((await dashboard.environments()).exclusions).toEqual([]);
    expect(await dashboard.page('/')).toContain('No PR is excluded');
  }, 60_000);
});
