import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';
import { ROOT, startStack, waitUntil, type Stack } from '../support/stack.js';

const ours = { repository: 'acme/app', installationId: 77 };
const green = (github: FakeGitHub, head: string) => github.addCheckRun({ head, name: 'ci/test', conclusion: 'success' });

interface Cycle {
  id: string;
  state: string;
  kind: string;
  trigger: string;
  mainSha: string | null;
  prs: Array<{ repo: string; number: number; sha: string }>;
  stages: Array<{ stage: string; status: string; summary: string }>;
  bisect?: { origin: string; step: number; maxSteps: number } | null;
  bisection?: { verdict: { kind: string; pr?: { number: number; sha: string } } | null; steps: Array<{ cycleId: string; result: string | null }> } | null;
}

/**
 * Staging that heals itself, every app a process: only PRs with a green ci/test join; the PR that
 * breaks deploy is found by bisection and left out; a flake and a broken main blame nobody.
 */
describe('staging that heals itself: every app a process, GitHub a local server', () => {
  let github: FakeGitHub;
  let stack: Stack;
  const cycles = async () => (await stack.cycles()) as Cycle[];
  const atRest = (what: string, done: (all: Cycle[]) => boolean, timeoutMs = 60_000) =>
    waitUntil(what, async () => {
      const all = await cycles();
      return all.length > 0 && all.every((c) => c.state !== 'running') && done(all) ? all : null;
    }, timeoutMs);
  const numbers = (c: Cycle) => c.prs.map((p) => p.number).sort((a, b) => a - b);
  const record = () => (existsSync(join(stack.stateDir, 'record.log')) ? readFileSync(join(stack.stateDir, 'record.log'), 'utf8').split('\n').filter(Boolean) : []);

  beforeAll(async () => {
    github = await startFakeGitHub({ owner: 'acme', repo: 'app' });
    github.refs.delete('main');
    stack = await startStack({
      env: {
        STAGECRAFT_CONFIG: join(ROOT, 'test/e2e/fixtures/stagecraft.healing.e2e.yaml'),
        STAGECRAFT_GITHUB__APP_ID: String(github.appId),
        STAGECRAFT_GITHUB__BASE_URL: github.baseUrl,
        GITHUB_PRIVATE_KEY: github.privateKey,
      },
    });
    await waitUntil('the idle check at boot', async () => ((await stack.jobCounts('idle-check'))['completed'] ? true : null), 30_000);
    github.setMain('m1');
    // Six PRs with green checks; #4's head breaks deploy. #7's check fails.
    for (const [number, head] of [[1, 'h1'], [2, 'h2'], [3, 'h3'], [4, 'bad4'], [5, 'h5'], [6, 'h6']] as const) {
      github.addPull({ number, head, author: 'alice', files: ['services/api/server.ts'] });
      green(github, head);
    }
    github.addPull({ number: 7, head: 'h7', author: 'alice', files: ['services/api/server.ts'] });
    github.addCheckRun({ head: 'h7', name: 'ci/test', conclusion: 'failure' });
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const pull = github.pull(n)!;
      await stack.sendWebhook('pull_request', { ...ours, action: 'opened', number: n, sha: pull.head, author: 'alice', base: 'main' });
    }
  }, 120_000);

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
    await github?.close();
  }, 30_000);

  it('finds the PR that breaks deploy among 6 in at most 4 extra cycles, excludes it with a comment and a label, and deploys the other 5', async () => {
    await stack.sendWebhook('push', { ...ours, branch: 'main', sha: 'm1', before: '0'.repeat(40), paths: ['services/api/server.ts'] });
    const all = await atRest('the bisection and the cycle after it', (c) => c.some((x) => x.bisection?.verdict) && c.some((x) => x.trigger === 'bisection' && !x.bisect && x.state === 'succeeded'), 90_000);
    const origin = all.find((c) => c.bisection)!;
    expect(origin).toMatchObject({ state: 'failed' });
    expect(numbers(origin)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(origin.stages.find((s) => s.stage === 'deploy')).toMatchObject({ status: 'failed', summary: expect.stringMatching(/failed again/) });
    expect(origin.bisection!.verdict).toMatchObject({ kind: 'pr', pr: { number: 4, sha: 'bad4' } });
    const after = all.slice(all.indexOf(origin) + 1);
    const healed = after.find((c) => !c.bisect)!;
    // The steps, then the cycle without #4: at most 4 extra cycles.
    expect(after.indexOf(healed) + 1).toBeLessThanOrEqual(4);
    expect(after.filter((c) => c.bisect).every((c) => c.bisect!.origin === origin.id)).toBe(true);
    expect(numbers(healed)).toEqual([1, 2, 3, 5, 6]);
    expect(healed.state).toBe('succeeded');
    // Each step composed main + a part of the PRs, as the github composer merged them.
    for (const step of after.filter((c) => c.bisect)) expect(record().some((l) => l.startsWith(`${step.id} deploy`) && l.includes(`bisect=${origin.id}:`))).toBe(true);
    // #4 is told why and how to come back, and labelled.
    await waitUntil('the exclusion comment on #4', async () => (github.comments.some((c) => c.issue === 4 && /deploy/.test(c.body) && /push|deploy/.test(c.body) && c.body.includes(origin.id)) ? true : null), 30_000);
    await waitUntil('the label on #4', async () => (github.pull(4)?.labels?.includes('stagecraft: excluded') ? true : null), 30_000);
    // #7, whose required check failed, was never in any cycle.
    expect(all.some((c) => c.prs.some((p) => p.number === 7))).toBe(false);
    expect(await stack.metrics('scheduler')).toMatch(/^stagecraft_exclusions_total\{[^}]*\} 1$/m);
  }, 120_000);

  it('lets a PR whose required check failed in once the check passes', async () => {
    const before = (await cycles()).length;
    github.addCheckRun({ head: 'h7', name: 'ci/test', conclusion: 'success' });
    await stack.sendWebhook('check_run', { ...ours, action: 'completed', name: 'ci/test', sha: 'h7', conclusion: 'success' });
    const all = await atRest('a cycle with #7', (c) => c.length > before && c.some((x) => x.prs.some((p) => p.number === 7)));
    expect(numbers(all.at(-1)!)).toEqual([1, 2, 3, 5, 6, 7]);
  }, 60_000);

  it('brings the excluded PR back with a new push, and takes its label off', async () => {
    github.addPull({ number: 4, head: 'h4-fixed', author: 'alice', files: ['services/api/server.ts'] });
    green(github, 'h4-fixed');
    await stack.sendWebhook('pull_request', { ...ours, action: 'synchronize', number: 4, sha: 'h4-fixed', author: 'alice', base: 'main' });
    const all = await atRest('a cycle with the fixed #4', (c) => c.some((x) => x.state === 'succeeded' && x.prs.some((p) => p.number === 4 && p.sha === 'h4-fixed')));
    expect(numbers(all.at(-1)!)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await waitUntil('the label off #4', async () => (github.pull(4)?.labels?.includes('stagecraft: excluded') ? null : true), 30_000);
  }, 60_000);

  it('blames nobody for a test that fails once and passes on the re-run', async () => {
    const before = (await cycles()).length;
    github.setMain('flaky-m2');
    await stack.sendWebhook('issue_comment', { ...ours, action: 'created', body: '@stagecraft trigger', author: 'maint', number: 1 });
    const all = await atRest('the full cycle', (c) => c.length > before && c.at(-1)!.kind === 'full');
    await new Promise((r) => setTimeout(r, 1500)); // a bisection would have started by now
    const cycle = (await cycles()).find((c) => c.id === all.at(-1)!.id)!;
    expect(cycle.state).toBe('succeeded');
    expect(cycle.stages.find((s) => s.stage === 'test-kernel')).toMatchObject({ status: 'succeeded', summary: expect.stringMatching(/^flaky:/) });
    expect((await cycles()).length).toBe(before + 1);
    expect(cycle.bisection ?? null).toBeNull();
    expect(await stack.metrics('test-kernel')).toMatch(/^stagecraft_stage_flakes_total\{[^}]*stage="test-kernel"[^}]*\} 1$/m);
  }, 60_000);

  it('excludes nobody when main alone is broken, and says so on main', async () => {
    const excludedBefore = github.pull(5)?.labels ?? [];
    github.setMain('broken-m3');
    await stack.sendWebhook('push', { ...ours, branch: 'main', sha: 'broken-m3', before: 'flaky-m2', paths: ['services/api/server.ts'] });
    const all = await atRest('the bisection of the broken main', (c) => c.some((x) => x.mainSha === 'broken-m3' && x.bisection?.verdict), 90_000);
    const origin = all.find((c) => c.mainSha === 'broken-m3' && c.bisection)!;
    expect(origin.bisection!.verdict).toEqual({ kind: 'main' });
    await waitUntil('a failed check run on main', async () => (github.checkRuns.some((r) => r.head_sha === 'broken-m3' && r.conclusion === 'failure') ? true : null), 30_000);
    for (const n of [1, 2, 3, 5, 6, 7]) expect(github.pull(n)?.labels ?? []).not.toContain('stagecraft: excluded');
    expect(excludedBefore).not.toContain('stagecraft: excluded');
  }, 120_000);
});
