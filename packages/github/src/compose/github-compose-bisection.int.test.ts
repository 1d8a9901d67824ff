import { afterEach, describe, expect, it } from '@jest/globals';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { HeadsStore } from '@stagecraft/engine';
import { pushEvent, stageContext, startEngineHarness, startFakeGitHub, type EngineHarness, type FakeGitHub, type RecordedGitHubCall } from '@stagecraft/testing';
import { GitHubComposeExecutor } from './github-compose-executor.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';

/** The github composer, keeping each run's context and the GitHub requests that run made. */
class ObservedCompose implements StageExecutor {
  readonly description: string;
  readonly runs: Array<{ ctx: StageContext; calls: RecordedGitHubCall[]; outcome: ExecutorOutcome }> = [];
  constructor(
    private readonly inner: GitHubComposeExecutor,
    private readonly github: FakeGitHub,
  ) {
    this.description = inner.description;
  }
  async run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const before = this.github.calls.length;
    const outcome = await this.inner.run(ctx, io);
    this.runs.push({ ctx, calls: this.github.calls.slice(before), outcome });
    return outcome;
  }
}

/** What one compose run did to GitHub: where it reset staging to, and which heads it merged. */
function writesOf(calls: RecordedGitHubCall[], stagingBranch = 'staging') {
  const body = (c: RecordedGitHubCall) => c.body as Record<string, unknown>;
  return {
    resetTo: calls.filter((c) => c.method === 'PATCH' && decodeURIComponent(c.path).endsWith(`/git/refs/heads/${stagingBranch}`)).map((c) => body(c)['sha']),
    merged: calls.filter((c) => c.method === 'POST' && c.path.endsWith('/merges') && body(c)['base'] === stagingBranch).map((c) => body(c)['head']),
    listedPulls: calls.some((c) => c.method === 'GET' && c.path.endsWith('/pulls')),
  };
}

describe('a bisection step composed through the GitHub API', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
    h = undefined;
    github = undefined;
  });

  it("composes each step from the failed cycle's main and exactly the step's PRs at the heads it had, though main and a PR moved since", async () => {
    github = await startFakeGitHub();
    const fake = github;
    for (const n of [1, 2, 3, 4]) fake.addPull({ number: n, head: `h${n}`, author: 'alice' });
    const originMain = fake.refs.get('main')!.sha;
    let moved = false;
    // Deploy breaks with #3's head in staging. While the first cycle deploys, main moves on and #1 gets a
    // new head: the bisection must still compose what that cycle had.
    const deploy: StageExecutor = {
      description: 'deploy that #3 breaks',
      async run(ctx) {
        if (!moved) {
          moved = true;
          fake.setMain('main-later');
          fake.addPull({ number: 1, head: 'h1-new', author: 'alice' });
        }
        const broken = ctx.prs.some((p) => p.number === 3 && p.sha === 'h3');
        return { status: broken ? 'failed' : 'succeeded', summary: broken ? 'rollout failed' : 'rolled out', details: null, outputTail: [] };
      },
    };
    let heads: HeadsStore | undefined;
    const compose = new ObservedCompose(
      new GitHubComposeExecutor({
        github: testClients(fake),
        trust: { maintainers: ['maint'], trusted: ['alice'], approvers: [] },
        heads: { approvals: () => heads!.approvals(), skipped: () => heads!.skipped(), exclusions: () => heads!.exclusions() },
        clock: Date.now,
      }),
      fake,
    );
    h = await startEngineHarness({ executor: (stage) => (stage === 'compose' ? compose : stage === 'deploy' ? deploy : null), notifications: true, settings: { settleMs: 100, settleMaxMs: 400, throttleMs: 0 } });
    heads = new HeadsStore(h.client, h.keys);
    await h.engine.handleEvent(pushEvent());
    const harness = h;
    const origin = await h.waitFor('the verdict', async () => (await harness.listCycles()).find((c) => c.bisection?.verdict) ?? null, 40_000);
    expect(origin.bisection!.verdict).toEqual({ kind: 'pr', pr: { repo: 'acme/app', number: 3, sha: 'h3' } });
    expect(origin.repos).toEqual([{ repo: 'acme/app', mainSha: originMain, stagingSha: origin.stagingSha }]);

    const stepRuns = compose.runs.filter((r) => r.ctx.bisect);
    expect(stepRuns.map((r) => r.ctx.bisect)).toEqual([
      { origin: origin.id, step: 1, maxSteps: 3 },
      { origin: origin.id, step: 2, maxSteps: 3 },
      { origin: origin.id, step: 3, maxSteps: 3 },
    ]);
    // Prefixes 1, 2, 3 of the candidates: [#1] and [#1, #2] pass, [#1, #2, #3] fails.
    const expected = [['h1'], ['h1', 'h2'], ['h1', 'h2', 'h3']];
    stepRuns.forEach((run, i) => {
      const writes = writesOf(run.calls);
      // Not main's head now (main-later), not the ready PRs (#1 is at h1-new, #4 is ready too): the step's own.
      expect(writes).toEqual({ resetTo: [originMain], merged: expected[i], listedPulls: false });
      expect(run.outcome.summary).toMatch(new RegExp(`^bisection step ${i + 1}/3 of ${origin.id}: staging [0-9a-f]{7} = main ${originMain.slice(0, 7)} \\+ ${i + 1} PR\\(s\\)$`));
      const results = run.outcome.details?.['results'] as Record<string, unknown>;
      expect(results['prs']).toEqual(expected[i]!.map((sha) => ({ repo: 'acme/app', number: Number(sha.slice(1)), sha })));
      expect(results['left']).toEqual([]);
    });
    const steps = (await h.listCycles()).filter((c) => c.bisect?.origin === origin.id).sort((a, b) => a.startedAt - b.startedAt);
    expect(steps.map((s) => s.repos[0]!.mainSha)).toEqual([originMain, originMain, originMain]);
    expect(steps.map((s) => s.prs.map((p) => p.number))).toEqual([[1], [1, 2], [1, 2, 3]]);

    // The cycle after the verdict composes what is ready now again: main-later, #1's new head, #3 left out.
    const after = await h.waitFor('the cycle after the verdict', async () => (await harness.listCycles()).find((c) => c.trigger === 'bisection' && !c.bisect && c.state !== 'running') ?? null, 20_000);
    expect(after.repos[0]!.mainSha).toBe('main-later');
    expect(after.prs).toEqual([
      { repo: 'acme/app', number: 1, sha: 'h1-new' },
      { repo: 'acme/app', number: 2, sha: 'h2' },
      { repo: 'acme/app', number: 4, sha: 'h4' },
    ]);
  }, 60_000);

  it("composes every repository from its own recorded main, merging only that repository's PRs of the step", async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'app' }, { owner: 'kernelci', repo: 'api', installationId: 91, mainBranch: 'trunk' }] });
    const app = github.repository('acme/app');
    const api = github.repository('kernelci/api');
    app.setMain('a-main-then');
    api.setMain('k-main-then');
    app.addPull({ number: 1, head: 'a1', author: 'alice' });
    app.addPull({ number: 2, head: 'a2', author: 'alice' });
    api.addPull({ number: 1, head: 'k1', author: 'alice' });
    // Both mains moved on after the failed cycle composed them.
    app.setMain('a-main-now');
    api.setMain('k-main-now');
    const compose = new GitHubComposeExecutor({
      github: testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api', { mainBranch: 'trunk', stagingBranch: 'staging.kernelci' })]),
      trust: { maintainers: [], trusted: ['alice'], approvers: [] },
      heads: { approvals: async () => new Map(), skipped: async () => new Set(), exclusions: async () => new Map() },
      clock: Date.now,
    });
    const log: string[] = [];
    const outcome = await compose.run(
      stageContext({
        cycleId: 'staging-14',
        stage: 'compose',
        bisect: { origin: 'staging-12', step: 2, maxSteps: 3 },
        sha: 'a-main-then',
        mainSha: 'a-main-then',
        repos: [
          { repo: 'acme/app', sha: 'a-main-then', mainSha: 'a-main-then' },
          { repo: 'kernelci/api', sha: 'k-main-then', mainSha: 'k-main-then' },
        ],
        // acme/app#2 and kernelci/api#1 are the step's; acme/app#1 is ready too, but not in this step.
        prs: [
          { repo: 'kernelci/api', number: 1, sha: 'k1' },
          { repo: 'acme/app', number: 2, sha: 'a2' },
        ],
      }),
      { signal: new AbortController().signal, log: (line) => log.push(line) },
    );
    expect(outcome.status).toBe('succeeded');
    expect(app.refs.get('staging')?.holds).toEqual(['main', 2]);
    expect(api.refs.get('staging.kernelci')?.holds).toEqual(['main', 1]);
    expect(writesOf(app.calls)).toEqual({ resetTo: ['a-main-then'], merged: ['a2'], listedPulls: false });
    expect(writesOf(api.calls, 'staging.kernelci')).toEqual({ resetTo: ['k-main-then'], merged: ['k1'], listedPulls: false });
    const results = outcome.details?.['results'] as Record<string, unknown>;
    expect(results['repos']).toEqual([
      { repo: 'acme/app', sha: app.refs.get('staging')!.sha, mainSha: 'a-main-then' },
      { repo: 'kernelci/api', sha: api.refs.get('staging.kernelci')!.sha, mainSha: 'k-main-then' },
    ]);
    expect(results['prs']).toEqual([
      { repo: 'acme/app', number: 2, sha: 'a2' },
      { repo: 'kernelci/api', number: 1, sha: 'k1' },
    ]);
    expect(outcome.summary).toMatch(/^bisection step 2\/3 of staging-12: acme\/app: staging [0-9a-f]{7} = main a-main- \+ 1 PR\(s\); kernelci\/api: staging\.kernelci [0-9a-f]{7} = trunk k-main- \+ 1 PR\(s\)$/);
    expect(log).toEqual(['bisection step 2 of at most 3 for staging-12: its mains + 2 of its PR(s), not the PRs ready now']);
  });

  it("composes on main's head, and says so, for a repository the failed cycle recorded no main of", async () => {
    github = await startFakeGitHub();
    github.addPull({ number: 5, head: 'h5', author: 'alice' });
    const compose = new GitHubComposeExecutor({
      github: testClients(github),
      trust: { maintainers: [], trusted: ['alice'], approvers: [] },
      heads: { approvals: async () => new Map(), skipped: async () => new Set(), exclusions: async () => new Map() },
      clock: Date.now,
    });
    const log: string[] = [];
    const outcome = await compose.run(
      stageContext({ stage: 'compose', bisect: { origin: 'staging-3', step: 1, maxSteps: 1 }, mainSha: null, sha: null, repos: [{ repo: 'acme/app', sha: null, mainSha: null }], prs: [] }),
      { signal: new AbortController().signal, log: (line) => log.push(line) },
    );
    expect((outcome.details?.['results'] as Record<string, unknown>)['mainSha']).toBe(github.refs.get('main')!.sha);
    expect(github.refs.get('staging')?.holds).toEqual(['main']);
    expect(log).toContain("acme/app: the failed cycle recorded no main SHA; composing on main's head");
  });
});
