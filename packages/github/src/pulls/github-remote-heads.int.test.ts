import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubApp } from '../app/create-github-app.js';
import { RepositoryClients } from '../app/repository-clients.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';
import { GatedExecutor, pullRequestEvent, pushEvent, startEngineHarness, startFakeGitHub, type EngineHarness, type FakeGitHub } from '@stagecraft/testing';
import { GitHubRemoteHeads } from './github-remote-heads.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the idle check asks GitHub for main and the open PRs', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
    h = undefined;
    github = undefined;
  });


  it('finds a push, a PR opened and a PR closed whose webhooks never came, and runs a cycle with them', async () => {
    github = await startFakeGitHub();
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, log: silent });
    h = await startEngineHarness({
      executor: () => new GatedExecutor(),
      settings: { idleCheckMs: 200, throttleMs: 0 },
      remoteHeads: new GitHubRemoteHeads(new RepositoryClients(app, [repositoryConfig('acme/app')])),
    });
    github.setMain('m1');
    const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
    github.addPull({ number: 5, head: 'h5', author: 'alice', updatedAt: aMinuteAgo });
    await h.engine.handleEvent(pushEvent({ sha: 'm1', before: '0'.repeat(40), pushedAt: Date.now() - 60_000 }));
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 5, sha: 'h5' }));
    expect((await h.finishedCycles(1, { settled: true }))[0]).toMatchObject({ mainSha: 'm1', prs: [{ repo: 'acme/app', number: 5, sha: 'h5' }] });

    // GitHub agrees with what the webhooks said: nothing to do.
    await sleep(250);
    await h.engine.idleTick();
    await sleep(h.settings.settleMs);
    expect(await h.listCycles()).toHaveLength(1);

    // A commit pushed to main, #9 opened, #5 closed: no webhook reaches Stagecraft.
    github.setMain('m2');
    github.addPull({ number: 9, head: 'h9', author: 'alice', updatedAt: aMinuteAgo });
    github.closePull(5);
    await h.engine.idleTick();
    const cycles = await h.finishedCycles(2, { settled: true });
    expect(cycles[1]).toMatchObject({ trigger: 'idle-check', mainSha: 'm2', prs: [{ repo: 'acme/app', number: 9, sha: 'h9' }], state: 'succeeded' });
    expect(github.calls.some((c) => decodeURIComponent(c.path) === '/repos/acme/app/git/ref/heads/main')).toBe(true);

    // The lost push's webhook finally arrives, redelivered: main stays where GitHub said it is.
    await h.engine.handleEvent(pushEvent({ sha: 'm1', before: '0'.repeat(40), pushedAt: Date.now() - 60_000 }));
    expect(await h.client.hget(h.keys.heads(), 'main:acme/app')).toBe('m2');
  }, 20_000);

  it('goes on with what the webhooks said when GitHub cannot be read', async () => {
    const deploy = new GatedExecutor({ fail: true });
    h = await startEngineHarness({
      executor: (stage) => (stage === 'deploy' ? deploy : new GatedExecutor()),
      settings: { idleCheckMs: 200, throttleMs: 0 },
      remoteHeads: { read: async () => Promise.reject(new Error('GitHub is down')) },
    });
    await h.engine.handleEvent(pushEvent({ sha: 'm1' }));
    expect((await h.finishedCycles(1, { settled: true }))[0]).toMatchObject({ state: 'failed' });
    deploy.fail = false;
    await sleep(250);
    await h.engine.idleTick();
    expect((await h.finishedCycles(2, { settled: true }))[1]).toMatchObject({ trigger: 'idle-check', mainSha: 'm1', state: 'succeeded' });
  }, 20_000);

  it('reads every configured repository, each under its own owner and installation, and tags each PR with its repository', async () => {
    github = await startFakeGitHub({
      repos: [
        { owner: 'acme', repo: 'app', installationId: 77 },
        { owner: 'kernelci', repo: 'api', installationId: 91, mainBranch: 'trunk' },
      ],
    });
    github.setMain('m-app');
    github.repository('kernelci/api').setMain('m-api');
    const updatedAt = new Date().toISOString();
    github.addPull({ number: 5, head: 'h5', author: 'alice', updatedAt });
    github.repository('kernelci/api').addPull({ number: 5, head: 'k5', author: 'bob', labels: ['wip'], updatedAt });
    const heads = new GitHubRemoteHeads(
      testClients(github, [repositoryConfig('acme/app'), repositoryConfig('KernelCI/api', { mainBranch: 'trunk', stagingBranch: 'staging-api' })]),
    );
    expect(await heads.read()).toEqual({
      mains: { 'acme/app': 'm-app', 'KernelCI/api': 'm-api' },
      prs: [
        { repo: 'acme/app', number: 5, sha: 'h5', author: 'alice', baseRef: 'main', draft: false, labels: [], updatedAt },
        { repo: 'KernelCI/api', number: 5, sha: 'k5', author: 'bob', baseRef: 'trunk', draft: false, labels: ['wip'], updatedAt },
      ],
    });
    expect(github.calls.some((c) => decodeURIComponent(c.path).toLowerCase() === '/repos/kernelci/api/git/ref/heads/trunk')).toBe(true);
  });

  it('reads nothing when one repository cannot be read: a PR missing from a partial list would look closed', async () => {
    github = await startFakeGitHub();
    const heads = new GitHubRemoteHeads(testClients(github, [repositoryConfig('acme/app'), repositoryConfig('acme/not-installed')]));
    await expect(heads.read()).rejects.toThrow('the GitHub App is not installed on acme/not-installed');
  });
});
