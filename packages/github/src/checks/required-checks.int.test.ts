import { afterEach, describe, expect, it } from '@jest/globals';
import {
  checksEvent,
  GatedExecutor,
  pullRequestEvent,
  pushEvent,
  startEngineHarness,
  startFakeGitHub,
  type EngineHarness,
  type FakeGitHub,
} from '@stagecraft/testing';
import type { CheckReport } from '@stagecraft/queue';
import type { StageContext } from '@stagecraft/executors';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';
import { GitHubComposeExecutor } from '../compose/github-compose-executor.js';
import { cycleHeader, startNotifierFixture } from '../test-support/notifier-fixture.js';
import { GitHubCheckLookup } from './github-check-lookup.js';

const DAY = 24 * 3_600_000;
const byName = (reports: CheckReport[]) => Object.fromEntries(reports.map((r) => [`${r.type}:${r.name}`, r.state]));
/** The requests that read checks or branch protection. */
const checkCalls = (github: FakeGitHub) => github.calls.filter((c) => /\/(check-runs|status|protection\/required_status_checks)$/.test(c.path) && c.method === 'GET');

describe('GitHubCheckLookup against the fake GitHub', () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });

  it("reads every page of a commit's check runs, the newest run of each name, and the newest status of each context", async () => {
    github = await startFakeGitHub();
    // A matrix build: 130 runs, more than one page of 100.
    for (let i = 0; i < 130; i++) github.addCheckRun({ head: 'c1', name: `matrix (${i})`, conclusion: 'success' });
    github.addCheckRun({ head: 'c1', name: 'ci/build', conclusion: 'failure' });
    github.addCheckRun({ head: 'c1', name: 'ci/build', status: 'in_progress' }); // re-run: the newest counts
    github.addCheckRun({ head: 'c1', name: 'lint', conclusion: 'skipped' });
    github.addCheckRun({ head: 'c1', name: 'stagecraft/staging', conclusion: 'failure' }); // our own: never a check to pass
    github.setStatus('c1', 'ci/jenkins', 'failure');
    github.setStatus('c1', 'ci/jenkins', 'success');
    github.setStatus('c1', 'coverage', 'pending');
    github.addCheckRun({ head: 'other', name: 'ci/build', conclusion: 'success' });

    const reports = await new GitHubCheckLookup(testClients(github), 'stagecraft/staging').ofCommit('ACME/app', 'c1', null);
    const states = byName(reports);
    expect(Object.keys(states)).toHaveLength(130 + 2 + 2);
    expect(states).toMatchObject({ 'run:ci/build': 'pending', 'run:lint': 'green', 'run:matrix (129)': 'green', 'status:ci/jenkins': 'green', 'status:coverage': 'pending' });
    expect(states['run:stagecraft/staging']).toBeUndefined();
    expect(reports.every((r) => r.at > 0)).toBe(true);
    const pages = github.calls.filter((c) => c.path.endsWith('/commits/c1/check-runs'));
    expect(pages.map((c) => [c.query['filter'], c.query['per_page'], c.query['page'] ?? '1'])).toEqual([
      ['latest', '100', '1'],
      ['latest', '100', '2'],
    ]);
  });

  it("reads the main branch's required checks from branch protection, none when it is not protected", async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'app', mainBranch: 'trunk' }] });
    const lookup = new GitHubCheckLookup(testClients(github, [repositoryConfig('acme/app', { mainBranch: 'trunk' })]), 'stagecraft/staging');
    expect(await lookup.requiredChecks('acme/app', null)).toEqual([]);
    github.protectBranch('trunk', ['ci/build', 'ci/jenkins', 'stagecraft/staging']);
    expect(await lookup.requiredChecks('acme/app', null)).toEqual(['ci/build', 'ci/jenkins']);
    expect(github.calls.filter((c) => c.path.endsWith('/protection/required_status_checks')).map((c) => c.path)).toEqual([
      '/repos/acme/app/branches/trunk/protection/required_status_checks',
      '/repos/acme/app/branches/trunk/protection/required_status_checks',
    ]);
  });
});

describe('the scheduler with required checks read from GitHub', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
    h = undefined;
    github = undefined;
  });

  const prsOf = (c: { prs: Array<{ number: number; sha: string }> } | undefined) => c?.prs.map((p) => `#${p.number}@${p.sha}`);

  /** `prepare` shapes GitHub first: branch protection's answer counts for 5 minutes once read. */
  async function start(requireChecks: string[] | 'required', prepare: (github: FakeGitHub) => void = () => undefined) {
    github = await startFakeGitHub();
    prepare(github);
    const clients = testClients(github, [repositoryConfig('acme/app', { compose: { requireChecks } })]);
    h = await startEngineHarness({
      executor: () => new GatedExecutor(),
      composeRules: { skipLabel: 'staging-skip', maxAgeMs: 14 * DAY, requireChecks },
      checks: new GitHubCheckLookup(clients, 'stagecraft/staging'),
    });
    await h.engine.handleEvent(pushEvent());
    await h.finishedCycles(1, { settled: true });
    return { github, h };
  }

  it("requires main's protected checks (required): a failing one keeps the PR out, the check run that passes takes it in", async () => {
    const { github, h } = await start('required', (g) => g.protectBranch('main', ['ci/build']));
    github.addCheckRun({ head: 'h7', name: 'ci/build', conclusion: 'failure' });
    github.addCheckRun({ head: 'h7', name: 'lint', conclusion: 'success' });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.quiet();
    expect(await h.listCycles()).toHaveLength(1);

    // A re-run passes; its check_run webhook brings it.
    github.addCheckRun({ head: 'h7', name: 'ci/build', conclusion: 'success' });
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'green' }]));
    expect(prsOf((await h.finishedCycles(2, { settled: true }))[1])).toEqual(['#7@h7']);
  });

  it('does not let a lost checks webhook keep a PR out: its head is read from GitHub when it comes, and on a check suite', async () => {
    const { github, h } = await start(['ci/build', 'ci/jenkins']);
    // CI finished before the PR was opened; no checks webhook ever arrives for it.
    github.addCheckRun({ head: 'h8', name: 'ci/build', conclusion: 'success' });
    github.setStatus('h8', 'ci/jenkins', 'success');
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 8, sha: 'h8' }));
    expect(prsOf((await h.finishedCycles(2, { settled: true }))[1])).toEqual(['#8@h8']);

    // #9's status webhook is lost; the check suite that completes afterwards names no check, and GitHub is read.
    github.addCheckRun({ head: 'h9', name: 'ci/build', status: 'in_progress' });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 9, sha: 'h9' }));
    github.addCheckRun({ head: 'h9', name: 'ci/build', conclusion: 'success' });
    github.setStatus('h9', 'ci/jenkins', 'success');
    await h.engine.handleEvent(checksEvent('h9', [], { source: 'check_suite' }));
    expect(prsOf((await h.finishedCycles(3, { settled: true }))[2])).toEqual(['#8@h8', '#9@h9']);
  });

  it('asks GitHub nothing about checks for a repository that requires none', async () => {
    const { github, h } = await start([], (g) => g.protectBranch('main', ['ci/build']));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 7, sha: 'h7' }));
    await h.engine.handleEvent(checksEvent('h7', [{ name: 'ci/build', state: 'failed' }]));
    expect(prsOf((await h.finishedCycles(2, { settled: true }))[1])).toEqual(['#7@h7']);
    expect(checkCalls(github)).toEqual([]);
  });
});

describe('the github composer and the PR report with required checks', () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });

  it('merges only the PRs whose required checks are green now, and says why the others are left out', async () => {
    github = await startFakeGitHub();
    const clients = testClients(github, [repositoryConfig('acme/app', { compose: { requireChecks: 'required' } })]);
    github.protectBranch('main', ['ci/build']);
    for (const [number, head] of [[1, 'g1'], [2, 'p2'], [3, 'f3'], [4, 'd4']] as const) github.addPull({ number, head, author: 'alice', draft: number === 4 });
    github.addCheckRun({ head: 'g1', name: 'ci/build', conclusion: 'success' });
    github.addCheckRun({ head: 'p2', name: 'ci/build', status: 'in_progress' });
    github.addCheckRun({ head: 'f3', name: 'ci/build', conclusion: 'timed_out' });
    const composer = new GitHubComposeExecutor({
      github: clients,
      trust: { maintainers: [], trusted: ['alice'], approvers: [] },
      heads: { approvals: async () => new Map(), skipped: async () => new Set(), exclusions: async () => new Map() },
      clock: Date.now,
    });
    const lines: string[] = [];
    const outcome = await composer.run({ prs: [], repos: [] } as unknown as StageContext, { signal: new AbortController().signal, log: (l) => lines.push(l) });
    expect(outcome.status).toBe('succeeded');
    const results = (outcome.details as { results: { prs: unknown[]; left: unknown[] } }).results;
    expect(results.prs).toEqual([{ repo: 'acme/app', number: 1, sha: 'g1' }]);
    expect(results.left).toEqual([
      { repo: 'acme/app', number: 2, sha: 'p2', reason: 'waiting for checks: ci/build' },
      { repo: 'acme/app', number: 3, sha: 'f3', reason: 'checks failed: ci/build' },
      { repo: 'acme/app', number: 4, sha: 'd4', reason: 'draft' },
    ]);
    expect(lines).toContain('#2 left out: waiting for checks: ci/build');
    // A draft's checks are not asked for.
    expect(github.calls.some((c) => c.path.includes('/commits/d4/'))).toBe(false);
  });

  it("tells a PR the scheduler held back for its checks what it waits for, in its comment and check run", async () => {
    const f = await startNotifierFixture();
    try {
      await f.cycles.create(cycleHeader('staging-3', Date.now(), { waiting: [{ repo: 'acme/app', number: 7, sha: 'h7', reason: 'waiting for checks: ci/build, lint' }] }));
      await f.publisher({ cycleUrl: () => null }).publish('staging-3', null);
      const comment = f.github.comments.find((c) => c.issue === 7);
      expect(comment?.body).toContain('was left out of partial cycle staging-3: waiting for checks: ci/build, lint.');
      const run = f.github.checkRuns.find((r) => r.head_sha === 'h7');
      expect(run).toMatchObject({ name: 'stagecraft/staging', status: 'completed', conclusion: 'neutral' });
      expect((run!.output as { summary: string }).summary).toContain('waiting for checks: ci/build, lint');
      expect(f.github.deployments).toEqual([]);
    } finally {
      await f.close();
    }
  });
});
