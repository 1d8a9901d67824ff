import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeGitHub, type FakeGitHub, type FakeRepository } from '@stagecraft/testing';
import { ROOT, startStack, waitUntil, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const MARKER = '<!-- stagecraft:pr-comment -->';

/**
 * One staging of two repositories under two owners: acme/api (installation 77) and tools/core
 * (installation 78, main branch `trunk`). Both have a PR #1, so every PR is known by its repository.
 */
describe('several repositories in one staging: every app a process, GitHub a local server', () => {
  let github: FakeGitHub;
  let api: FakeRepository;
  let core: FakeRepository;
  let stack: Stack;
  const ofApi = { repository: 'acme/api', installationId: 77 };
  const ofCore = { repository: 'tools/core', installationId: 78 };
  const record = () => (existsSync(join(stack.stateDir, 'record.log')) ? readFileSync(join(stack.stateDir, 'record.log'), 'utf8').split('\n').filter(Boolean) : []);
  const settled = (what: string, count: number) => stack.waitForCycles(what, (c) => c.length >= count && c.every((x) => x.state !== 'running'), 40_000);
  const prsOf = (cycle: { prs: Array<{ repo: string; number: number; sha: string }> }) => cycle.prs.map((p) => `${p.repo}#${p.number}:${p.sha}`).sort();

  beforeAll(async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'api' }, { owner: 'tools', repo: 'core', mainBranch: 'trunk' }] });
    api = github.repository('acme/api');
    core = github.repository('tools/core');
    // Both repositories are empty while Stagecraft starts, so the idle check at boot finds nothing.
    api.refs.delete('main');
    core.refs.delete('trunk');
    stack = await startStack({
      env: {
        STAGECRAFT_CONFIG: join(ROOT, 'test/e2e/fixtures/stagecraft.repositories.e2e.yaml'),
        STAGECRAFT_GITHUB__APP_ID: String(github.appId),
        STAGECRAFT_GITHUB__BASE_URL: github.baseUrl,
        GITHUB_PRIVATE_KEY: github.privateKey,
      },
    });
    await waitUntil('the idle check at boot', async () => ((await stack.jobCounts('idle-check'))['completed'] ? true : null), 30_000);
    api.setMain('api-m1');
    core.setMain('core-m1');
    api.addPull({ number: 1, head: 'api-h1', author: 'alice', files: ['services/api/server.ts'] });
    api.addPull({ number: 2, head: 'api-h2', author: 'alice', conflictsWith: [1], files: ['services/api/server.ts'] });
    core.addPull({ number: 1, head: 'core-h1', author: 'alice', base: 'trunk', files: ['lib/kernel.c'] });
    core.addPull({ number: 5, head: 'core-h5', author: 'stranger', base: 'trunk', files: ['lib/kernel.c'] });
  }, 120_000);

  afterAll(async () => {
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
    await github?.close();
  }, 30_000);

  it('composes every repository (main + its ready PRs) into one cycle with a main and a staging SHA per repository; a conflict leaves only that PR out', async () => {
    await stack.sendWebhook('push', { ...ofApi, branch: 'main', sha: 'api-m1', before: '0'.repeat(40), paths: ['services/api/server.ts'] });
    const [first] = await settled('the first cycle', 1);
    expect(first.state).toBe('succeeded');
    expect(prsOf(first)).toEqual(['acme/api#1:api-h1', 'tools/core#1:core-h1']);
    expect(first.repos).toEqual([
      { repo: 'acme/api', mainSha: 'api-m1', stagingSha: api.refs.get('staging')?.sha },
      { repo: 'tools/core', mainSha: 'core-m1', stagingSha: core.refs.get('staging-core')?.sha },
    ]);
    expect(api.refs.get('staging')?.holds).toEqual(['main', 1]);
    expect(core.refs.get('staging-core')?.holds).toEqual(['main', 1]);
    // Stage commands see every repository and repository-qualified PRs.
    const deployLine = record().find((l) => l.startsWith(`${first.id} deploy`))!;
    expect(deployLine).toContain(`repos=acme/api@${first.repos[0].stagingSha},tools/core@${first.repos[1].stagingSha}`);
    expect(deployLine).toContain('prs=acme/api#1:api-h1,tools/core#1:core-h1');
    // The conflict is told on acme/api #2 in its own repository, nothing on tools/core.
    await waitUntil('the conflict comment', async () => (api.comments.some((c) => c.issue === 2 && c.body.includes('conflicts with')) ? true : null));
    expect(core.comments.filter((c) => c.body.includes('conflicts with'))).toEqual([]);
    // Each PR's check run is on its head, in its own repository.
    await waitUntil('both check runs to complete', async () =>
      api.checkRuns.find((r) => r.head_sha === 'api-h1')?.status === 'completed' && core.checkRuns.find((r) => r.head_sha === 'core-h1')?.status === 'completed' ? true : null,
    );
    expect(api.checkRuns.some((r) => r.head_sha === 'core-h1')).toBe(false);
    expect(core.checkRuns.some((r) => r.head_sha === 'api-h1')).toBe(false);
    await waitUntil("each PR's comment in its own repository", async () =>
      api.comments.some((c) => c.issue === 1 && c.body.startsWith(MARKER)) && core.comments.some((c) => c.issue === 1 && c.body.startsWith(MARKER)) ? true : null,
    );
  }, 90_000);

  it("rebuilds only the components of the repository that changed, in the paths they own", async () => {
    core.setCompare('core-m1', 'core-m2', ['lib/kernel.c']);
    core.setMain('core-m2');
    await stack.sendWebhook('push', { ...ofCore, branch: 'trunk', sha: 'core-m2', before: 'core-m1', paths: ['lib/kernel.c'] });
    const cycles = await settled('the core-only cycle', 2);
    expect(cycles[1]).toMatchObject({ state: 'succeeded', components: ['core'], rebuild: ['core'] });
    expect(cycles[1].repos.map((r: { mainSha: string }) => r.mainSha)).toEqual(['api-m1', 'core-m2']);
    expect(record().filter((l) => l.startsWith(`${cycles[1].id} build`))).toEqual([`${cycles[1].id} build core`]);
  }, 60_000);

  it("runs commands on PRs of both repositories and answers each in its own repository", async () => {
    // A maintainer's deploy approves the untrusted head of tools/core #5.
    await stack.sendWebhook('issue_comment', { ...ofCore, action: 'created', body: '@stagecraft deploy', author: 'maint', number: 5 });
    const afterDeploy = await settled('the deploy command cycle', 3);
    expect(prsOf(afterDeploy[2])).toEqual(['acme/api#1:api-h1', 'tools/core#1:core-h1', 'tools/core#5:core-h5']);
    expect(await stack.approvedSha(5, 'tools/core')).toBe('core-h5');
    expect(await stack.approvedSha(5, 'acme/api')).toBeNull();
    await waitUntil('the reply on tools/core #5', async () => (core.comments.some((c) => c.issue === 5 && c.body.includes('Head core-h5 of #5 is approved for staging')) ? true : null));
    expect(api.comments.some((c) => c.issue === 5)).toBe(false);
    expect(core.reactions.length).toBeGreaterThan(0);

    // The author of acme/api #1 skips it: tools/core #1, the same number in the other repository,
    // stays, and acme/api #2, which conflicted with #1 only, now goes in.
    await stack.sendWebhook('issue_comment', { ...ofApi, action: 'created', body: '@stagecraft skip', author: 'alice', number: 1 });
    const afterSkip = await settled('the cycle without acme/api #1', 4);
    expect(prsOf(afterSkip[3])).toEqual(['acme/api#2:api-h2', 'tools/core#1:core-h1', 'tools/core#5:core-h5']);
    expect(api.refs.get('staging')?.holds).toEqual(['main', 2]);
    await waitUntil('the skip reply on acme/api #1', async () => (api.comments.some((c) => c.issue === 1 && c.body.includes('left out of staging')) ? true : null));
  }, 90_000);

  it('answers a webhook of an unconfigured repository 202, ignores it, and counts it where people look', async () => {
    const before = await stack.cycles();
    const sent = await stack.sendWebhook('push', { repository: 'other/thing', installationId: 99, branch: 'main', sha: 'x1', before: '0'.repeat(40), paths: ['a'] });
    expect(sent.status).toBe(202);
    await stack.sendWebhook('push', { repository: 'other/thing', installationId: 99, branch: 'main', sha: 'x2', before: 'x1', paths: ['a'] });
    await waitUntil('the ignored webhooks counted', async () => {
      const env = await stack.api<{ ignoredRepositories: Array<{ repository: string; webhooks: number }> }>('/api/environments');
      return env.ignoredRepositories.find((r) => r.repository === 'other/thing' && r.webhooks === 2) ?? null;
    });
    expect(await stack.metrics('ingress')).toMatch(/^stagecraft_ingress_ignored_webhooks_total\{repository="other\/thing"[^}]*\} 2$/m);
    const { stdout } = await run(process.execPath, [join(ROOT, 'apps/cli/dist/main.js'), 'status', '--url', stack.urlOf('dashboard')], {
      env: { ...process.env, STAGECRAFT_DASHBOARD_TOKEN: stack.token, STAGECRAFT_CONFIG: join(ROOT, 'test/e2e/fixtures/stagecraft.repositories.e2e.yaml') },
    });
    expect(stdout).toContain('ignored 2 webhooks from other/thing');
    // One line per repository of what staging runs.
    expect(stdout).toMatch(/acme\/api/);
    expect(stdout).toMatch(/tools\/core/);
    expect(stack.logs()).toMatch(/other\/thing/);
    expect(await stack.cycles()).toHaveLength(before.length);
  }, 60_000);
});
