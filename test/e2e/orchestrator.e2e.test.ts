import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testKernelDetailsOf } from '@stagecraft/queue';
import { startStack, waitUntil, type Stack } from '../support/stack.js';

const sha = () => randomBytes(20).toString('hex');

/** A push to main as GitHub sends it, touching the demo service's source. */
const pushToMain = (after = sha()) => ({ branch: 'main', sha: after, paths: ['examples/demo-service/src/server.mjs'] });

const comment = (body: string, author = 'Codertocat', pr = 1) => ({ action: 'created', body, author, number: pr });

describe('the orchestrator as separate processes on real Redis', () => {
  let stack: Stack;

  beforeAll(async () => {
    // A settle long enough that a burst sent from this process lands inside one window even on a
    // loaded machine (the burst test counts cycles).
    stack = await startStack({ env: { DEMO_DEPLOY_MS: '1500', STAGECRAFT_POLICY__SETTLE: '1s', STAGECRAFT_POLICY__SETTLE_MAX: '5s' } });
  }, 60_000);

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
  }, 30_000);

  it('serves /metrics on each app\'s metrics port and not on its public port', async () => {
    const metricLine = /^stagecraft_process_cpu_user_seconds_total\{app="[a-zA-Z-]+"\} /m;
    for (const app of stack.apps) {
      // The dashboard sends a visitor without a session to its login page; the others answer 404.
      const publicPort = await fetch(`http://127.0.0.1:${app.port}/metrics`, { redirect: 'manual' });
      expect([app.app, publicPort.status]).not.toEqual([app.app, 200]);
      expect(await publicPort.text()).not.toMatch(metricLine);
      const metrics = await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`);
      expect([app.app, metrics.status]).toEqual([app.app, 200]);
      expect(await metrics.text()).toMatch(metricLine);
    }
  });

  it('rejects an unsigned webhook and enqueues nothing', async () => {
    const res = await fetch(`${stack.urlOf('ingress')}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'unsigned-1', 'x-hub-signature-256': 'sha256=00' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await stack.queuedEvents()).toBe(0);
    expect(await stack.cycles()).toHaveLength(0);
  });

  it('runs a full cycle with the test kernel when a maintainer comments trigger', async () => {
    expect((await stack.sendWebhook('push', pushToMain())).status).toBe(202);
    expect((await stack.sendWebhook('issue_comment', comment('@stagecraft trigger'))).status).toBe(202);
    // The unsigned request above left nothing; these two are the only events.
    expect(await stack.queuedEvents()).toBe(2);
    const cycles = await stack.waitForCycles('the triggered cycle to finish', (c) => c.length > 0 && c.every((x) => x.state !== 'running'));
    expect(cycles).toHaveLength(1);
    const [full] = cycles;
    expect(full).toMatchObject({ kind: 'full', trigger: 'trigger-command', state: 'succeeded', requestedBy: 'Codertocat' });
    expect(full.stages.map((s: any) => [s.stage, s.status])).toEqual([
      ['compose', 'succeeded'],
      ['build', 'succeeded'],
      ['drain', 'succeeded'],
      ['deploy', 'succeeded'],
      ['test-kernel', 'succeeded'],
    ]);
    const tests = testKernelDetailsOf(full.stages[4].details)?.results;
    expect(tests?.failed).toBe(0);
    expect(tests?.passed).toBeGreaterThan(0);
    // The build command wrote its whole environment: the workers' secrets are not in it.
    const buildEnv = readFileSync(join(stack.stateDir, 'build-env.txt'), 'utf8');
    const names = buildEnv.split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf('=')));
    for (const secret of [stack.secret, stack.token, stack.prefix]) expect(buildEnv).not.toContain(secret);
    expect(names.filter((name) => /^(GITHUB_|REDIS_|STAGECRAFT_(CONFIG|REDIS|GITHUB|DASHBOARD|POLICY|APPS)|E2E_)/.test(name))).toEqual([]);
    expect(buildEnv).toContain(`STAGECRAFT_CYCLE=${full.id}\n`);
    expect(buildEnv).toContain(`DEMO_STATE_DIR=${stack.stateDir}\n`);
    expect(names).toContain('PATH');
    // The demo service really serves the staging SHA that compose produced.
    const status = (await (await fetch(`http://127.0.0.1:${stack.demoPort}/status`)).json()) as { version: string };
    expect(status.version).toBe(full.stagingSha);
  }, 60_000);

  it('turns a burst of pushes into one partial cycle that completes', async () => {
    const before = (await stack.cycles()).length;
    const results = await Promise.all(Array.from({ length: 25 }, () => stack.sendWebhook('push', pushToMain())));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const cycles = await stack.waitForCycles('the burst cycle', (c) => c.length > before && c.every((x) => x.state !== 'running'));
    // Settle + throttle have passed by now; a second cycle would be visible.
    await new Promise((r) => setTimeout(r, 2500));
    const after = await stack.cycles();
    expect(after.length).toBe(before + 1);
    expect(cycles[before]).toMatchObject({ kind: 'partial', trigger: 'change', state: 'succeeded', restarts: 0 });
    expect(cycles[before].stages.map((s: any) => s.stage)).toEqual(['compose', 'build', 'drain', 'deploy']);
  }, 60_000);

  it('restarts a running partial cycle once when a change arrives, then lets the next change wait', async () => {
    const before = (await stack.cycles()).length;
    await stack.sendWebhook('push', pushToMain());
    const running = await waitUntil('a running partial cycle', async () => {
      const c = (await stack.cycles())[before];
      return c && c.state === 'running' && c.stages.length > 0 ? c : null;
    }, 20_000);
    await stack.sendWebhook('push', pushToMain());
    const restarted = await waitUntil('the restarted cycle to run', async () => {
      const c = (await stack.cycles())[before + 1];
      return c && c.state === 'running' && c.stages.length > 0 ? c : null;
    }, 20_000);
    expect(restarted.restarts).toBe(1);
    await stack.sendWebhook('push', pushToMain());
    const cycles = await stack.waitForCycles('three more cycles', (c) => c.length >= before + 3 && c.every((x) => x.state !== 'running'), 40_000);
    expect(cycles.slice(before).map((c) => [c.id === running.id, c.state, c.restarts])).toEqual([
      [true, 'cancelled', 0],
      [false, 'succeeded', 1],
      [false, 'succeeded', 0],
    ]);
  }, 90_000);

  it('finishes a deploy on the worker the launcher restarts after kill -9, never running the deploy command twice at once', async () => {
    const before = (await stack.cycles()).length;
    await stack.sendWebhook('push', pushToMain());
    const cycle = await waitUntil('the deploy command to start', async () => {
      const c = (await stack.cycles())[before];
      return c && stack.deployLog().some((e) => e['type'] === 'start' && e['cycle'] === c.id) ? c : null;
    }, 30_000);
    expect(stack.kill('deploy', 'SIGKILL')).toBe(true);
    await waitUntil('the launcher to restart deploy', async () => (stack.logs().includes('deploy was killed by SIGKILL; restarting it') ? true : null));
    const cycles = await stack.waitForCycles('the cycle to finish on the second worker', (c) => c[before]?.state !== 'running' && c.length > before, 60_000);
    const finished = cycles[before];
    expect(finished.id).toBe(cycle.id);
    expect(finished.state).toBe('succeeded');
    const deploy = finished.stages.find((s: any) => s.stage === 'deploy');
    expect(deploy.attempt).toBeGreaterThanOrEqual(2);
    const log = stack.deployLog();
    expect(log.filter((e) => e['type'] === 'overlap')).toEqual([]);
    expect(log.filter((e) => e['cycle'] === cycle.id && e['type'] === 'start').length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
