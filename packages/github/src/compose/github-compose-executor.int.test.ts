import { afterEach, describe, expect, it } from '@jest/globals';
import type { ExecutorOutcome, StageContext, StageExecutor } from '@stagecraft/executors';
import { HeadsStore } from '@stagecraft/engine';
import { commandEvent, GatedExecutor, pushEvent, stageContext, startEngineHarness, startFakeGitHub, type EngineHarness, type FakeGitHub } from '@stagecraft/testing';
import { GitHubComposeExecutor } from './github-compose-executor.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';

const DAY = 24 * 3600_000;

/** A later stage that keeps the context it was given. */
class RecordingExecutor implements StageExecutor {
  readonly description = 'records its context';
  readonly contexts: StageContext[] = [];
  async run(ctx: StageContext): Promise<ExecutorOutcome> {
    this.contexts.push(ctx);
    return { status: 'succeeded', summary: 'ok', details: null, outputTail: [] };
  }
}

describe('a cycle composed through the GitHub API', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
    h = undefined;
    github = undefined;
  });

  it('deploys main + the trusted PRs it merged, leaves conflicting and untrusted ones out, and takes an approved head in', async () => {
    github = await startFakeGitHub();
    github.addPull({ number: 1, head: 'h1', author: 'alice', files: ['services/api/a.ts'] });
    github.addPull({ number: 2, head: 'h2', author: 'stranger' });
    github.addPull({ number: 3, head: 'h3', author: 'alice', conflictsWith: [1] });
    const gate = new GatedExecutor();
    let heads: HeadsStore | undefined;
    const compose = new GitHubComposeExecutor({
      github: testClients(github),
      trust: { maintainers: ['maint'], trusted: ['alice'], approvers: [] },
      heads: { approvals: () => heads!.approvals(), skipped: () => heads!.skipped(), exclusions: () => heads!.exclusions() },
      clock: Date.now,
    });
    expect(compose.description).toBe('github: acme/app staging = main + ready PRs');
    h = await startEngineHarness({ executor: (stage) => (stage === 'compose' ? compose : gate) });
    heads = new HeadsStore(h.client, h.keys);
    await h.engine.handleEvent(pushEvent());
    const [first] = await h.waitFor('the first cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });
    expect(first!.stagingSha).toBe(github.refs.get('staging')?.sha);
    expect(first!.prs).toEqual([{ repo: 'acme/app', number: 1, sha: 'h1' }]);
    const composed = first!.stages.find((s) => s.stage === 'compose')!;
    // One repository: the summary is what it always was.
    expect(composed.summary).toMatch(/^staging [0-9a-f]{7} = main [0-9a-f]{7} \+ 1 PR\(s\), 1 left out for conflicts$/);
    const results = composed.details?.['results'] as Record<string, unknown>;
    expect(results['conflicts']).toEqual([{ repo: 'acme/app', number: 3, sha: 'h3', with: 1 }]);
    expect(results['left']).toEqual([{ repo: 'acme/app', number: 2, sha: 'h2', reason: 'author not trusted and this head not approved' }]);
    expect(results['repos']).toEqual([{ repo: 'acme/app', sha: first!.stagingSha, mainSha: first!.mainSha }]);
    // Every later stage ran with the PRs compose merged.
    expect(gate.runs.map((r) => r.stage)).toEqual(['build', 'drain', 'deploy', 'test-kernel']);
    // A maintainer approves the stranger's head: the next cycle merges it.
    await h.engine.handleEvent(commandEvent({ by: 'maint', pr: 2, isPullRequest: true, sha: 'h2' }));
    const cycles = await h.waitFor('the deploy cycle', async () => {
      const all = await h!.listCycles();
      return all[1]?.state === 'succeeded' ? all : null;
    });
    expect(cycles[1]!.prs).toEqual([
      { repo: 'acme/app', number: 1, sha: 'h1' },
      { repo: 'acme/app', number: 2, sha: 'h2' },
    ]);
    expect(github.refs.get('staging')?.holds).toEqual(['main', 1, 2]);
  }, 20_000);

  it('composes every repository by its own rules, each under its own installation; a conflict in one leaves only that PR out', async () => {
    github = await startFakeGitHub({
      repos: [
        { owner: 'acme', repo: 'app', installationId: 77 },
        { owner: 'kernelci', repo: 'api', installationId: 91, mainBranch: 'trunk' },
      ],
    });
    const app = github.repository('acme/app');
    const api = github.repository('kernelci/api');
    app.setMain('a-main');
    api.setMain('k-main');
    app.addPull({ number: 1, head: 'a1', author: 'alice' });
    app.addPull({ number: 2, head: 'a2', author: 'alice', conflictsWith: [1] });
    // The same number in the other repository is another PR.
    api.addPull({ number: 1, head: 'k1', author: 'alice' });
    api.addPull({ number: 4, head: 'k4', author: 'alice', labels: ['no-staging'] });
    // acme/app's skip label means nothing in kernelci/api.
    api.addPull({ number: 5, head: 'k5', author: 'alice', labels: ['staging-skip'] });
    api.addPull({ number: 6, head: 'k6', author: 'alice', base: 'main' });
    const repositories = [
      repositoryConfig('acme/app'),
      repositoryConfig('kernelci/api', { mainBranch: 'trunk', stagingBranch: 'staging.kernelci', compose: { skipLabel: 'no-staging', maxAge: 14 * DAY } }),
    ];
    const clients = testClients(github, repositories);
    const deploy = new RecordingExecutor();
    let heads: HeadsStore | undefined;
    const compose = new GitHubComposeExecutor({
      github: clients,
      trust: { maintainers: ['maint'], trusted: ['alice'], approvers: [] },
      heads: { approvals: () => heads!.approvals(), skipped: () => heads!.skipped(), exclusions: () => heads!.exclusions() },
      clock: Date.now,
    });
    expect(compose.description).toBe('github: acme/app staging = main + ready PRs; kernelci/api staging.kernelci = trunk + ready PRs');
    h = await startEngineHarness({
      repositories: repositories.map((r) => ({ name: r.name, mainBranch: r.mainBranch, skipLabel: r.compose.skipLabel, maxAgeMs: r.compose.maxAge })),
      components: [
        { name: 'api', paths: ['services/api/**'], configPaths: [], repository: 'acme/app' },
        { name: 'kapi', paths: ['**'], configPaths: [], repository: 'kernelci/api' },
      ],
      executor: (stage) => (stage === 'compose' ? compose : stage === 'deploy' ? deploy : new GatedExecutor()),
    });
    heads = new HeadsStore(h.client, h.keys);
    await h.engine.handleEvent(pushEvent({ repo: 'kernelci/api', ref: 'refs/heads/trunk', sha: 'k-main' }));
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });

    expect(app.refs.get('staging')?.holds).toEqual(['main', 1]);
    expect(api.refs.get('staging.kernelci')?.holds).toEqual(['main', 1, 5]);
    expect(api.refs.has('staging')).toBe(false);
    const appStaging = app.refs.get('staging')!.sha;
    const apiStaging = api.refs.get('staging.kernelci')!.sha;
    expect(cycle).toMatchObject({
      mainSha: 'a-main',
      stagingSha: appStaging,
      repos: [
        { repo: 'acme/app', mainSha: 'a-main', stagingSha: appStaging },
        { repo: 'kernelci/api', mainSha: 'k-main', stagingSha: apiStaging },
      ],
      prs: [
        { repo: 'acme/app', number: 1, sha: 'a1' },
        { repo: 'kernelci/api', number: 1, sha: 'k1' },
        { repo: 'kernelci/api', number: 5, sha: 'k5' },
      ],
    });
    const composed = cycle!.stages.find((s) => s.stage === 'compose')!;
    expect(composed.summary).toBe(
      `acme/app: staging ${appStaging.slice(0, 7)} = main ${'a-main'.slice(0, 7)} + 1 PR(s), 1 left out for conflicts; ` +
        `kernelci/api: staging.kernelci ${apiStaging.slice(0, 7)} = trunk ${'k-main'.slice(0, 7)} + 2 PR(s)`,
    );
    const results = composed.details?.['results'] as Record<string, unknown>;
    expect(results['conflicts']).toEqual([{ repo: 'acme/app', number: 2, sha: 'a2', with: 1 }]);
    expect(results['left']).toEqual([
      { repo: 'kernelci/api', number: 4, sha: 'k4', reason: 'labelled no-staging' },
      { repo: 'kernelci/api', number: 6, sha: 'k6', reason: 'targets main, not trunk' },
    ]);
    // The deploy stage is told every repository's staging commit.
    expect(deploy.contexts[0]!.repos).toEqual([
      { repo: 'acme/app', sha: appStaging, mainSha: 'a-main' },
      { repo: 'kernelci/api', sha: apiStaging, mainSha: 'k-main' },
    ]);
    // Each repository was written to through its own installation's token.
    const tokenOf = (installation: number) => github!.calls.filter((c) => c.path === `/app/installations/${installation}/access_tokens`);
    expect(tokenOf(77)).toHaveLength(1);
    expect(tokenOf(91)).toHaveLength(1);
    expect(github.calls.filter((c) => /^\/repos\/[^/]+\/[^/]+\/installation$/.test(c.path)).map((c) => c.path).sort()).toEqual(['/repos/acme/app/installation', '/repos/kernelci/api/installation']);
  }, 20_000);

  it("leaves out a head a bisection excluded, in that PR's repository only, and names the reason", async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'app' }, { owner: 'kernelci', repo: 'api', installationId: 91 }] });
    github.addPull({ number: 6, head: 'a6', author: 'alice' });
    github.repository('kernelci/api').addPull({ number: 6, head: 'k6', author: 'alice' });
    const exclusion = { sha: 'k6', reason: 'it broke deploy in staging-3 (found by bisection in 2 cycles)', cycleId: 'staging-3', stage: 'deploy', at: 0 };
    const compose = new GitHubComposeExecutor({
      github: testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]),
      trust: { maintainers: [], trusted: ['alice'], approvers: [] },
      heads: { approvals: async () => new Map(), skipped: async () => new Set(), exclusions: async () => new Map([['kernelci/api#6', exclusion]]) },
      clock: Date.now,
    });
    const log: string[] = [];
    const outcome = await compose.run(stageContext({ stage: 'compose' }), { signal: new AbortController().signal, log: (line) => log.push(line) });
    const results = outcome.details?.['results'] as Record<string, unknown>;
    expect(results['prs']).toEqual([{ repo: 'acme/app', number: 6, sha: 'a6' }]);
    expect(results['left']).toEqual([{ repo: 'kernelci/api', number: 6, sha: 'k6', reason: `excluded: ${exclusion.reason}` }]);
    expect(log).toEqual([`kernelci/api#6 left out: excluded: ${exclusion.reason}`]);
  });
});
