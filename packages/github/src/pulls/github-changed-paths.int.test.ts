import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubApp } from '../app/create-github-app.js';
import { RepositoryClients } from '../app/repository-clients.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';
import { GitHubChangedPaths } from './github-changed-paths.js';
import { startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { GatedExecutor } from '@stagecraft/testing';
import { pullRequestEvent, pushEvent } from '@stagecraft/testing';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('components of a PR change, from the GitHub PR files API', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
    h = undefined;
    github = undefined;
  });

  it.each([
    ['an image path of web', ['services/web/page.tsx'], ['web'], ['web']],
    ['only a config path of api', ['services/api/tests/list.txt'], ['api'], []],
    ['files of no component', ['docs/README.md'], [], []],
  ])('a PR touching %s', async (_name, files, components, rebuild) => {
    github = await startFakeGitHub();
    github.addPull({ number: 5, head: 'h5', author: 'alice', files });
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, log: silent });
    h = await startEngineHarness({
      executor: () => new GatedExecutor(),
      changedPaths: new GitHubChangedPaths(new RepositoryClients(app, [repositoryConfig('acme/app')])),
    });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 5, sha: 'h5', installationId: 77 }));
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });
    expect(cycle).toMatchObject({ components, rebuild });
    expect(github.calls.some((c) => c.path === '/repos/acme/app/pulls/5/files')).toBe(true);
  });

  it('widens to every component when the files cannot be listed, and keeps the event', async () => {
    h = await startEngineHarness({
      executor: () => new GatedExecutor(),
      changedPaths: { ofPullRequest: async () => Promise.reject(new Error('GitHub is down')), ofMain: async () => Promise.reject(new Error('GitHub is down')) },
    });
    await h.engine.handleEvent(pullRequestEvent({ action: 'opened', pr: 6 }));
    const [cycle] = await h.waitFor('the cycle', async () => {
      const cycles = await h!.listCycles();
      return cycles[0]?.state === 'succeeded' ? cycles : null;
    });
    expect(cycle).toMatchObject({ components: ['api', 'web'], rebuild: ['api', 'web'] });
  });

  it("takes main's changes from the compare API since the main last deployed, not from the push payload", async () => {
    github = await startFakeGitHub();
    github.setCompare('m1', 'm2', ['services/web/page.tsx']);
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, log: silent });
    h = await startEngineHarness({
      executor: () => new GatedExecutor(),
      changedPaths: new GitHubChangedPaths(new RepositoryClients(app, [repositoryConfig('acme/app')])),
    });
    await h.engine.handleEvent(pushEvent({ before: '0'.repeat(40), sha: 'm1', paths: ['services/api/a.ts'] }));
    await h.waitFor('the first cycle', async () => ((await h!.listCycles())[0]?.state === 'succeeded' ? true : null));
    // The payload says api; what changed since the deployed m1 is web.
    await h.engine.handleEvent(pushEvent({ before: 'm1', sha: 'm2', paths: ['services/api/b.ts'] }));
    const cycles = await h.waitFor('the second cycle', async () => {
      const all = await h!.listCycles();
      return all.length === 2 && all.every((c) => c.state === 'succeeded') ? all : null;
    });
    expect(cycles.find((c) => c.mainSha === 'm2')).toMatchObject({ components: ['web'], rebuild: ['web'] });
    expect(github.calls.filter((c) => c.path.startsWith('/repos/acme/app/compare/')).map((c) => c.path)).toEqual(['/repos/acme/app/compare/m1...m2']);
  });

  it('asks the repository a change is in, through its own installation, whatever case the name is spelled in', async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'app', installationId: 77 }, { owner: 'kernelci', repo: 'api', installationId: 91 }] });
    github.addPull({ number: 3, head: 'a3', author: 'alice', files: ['services/api/a.ts'] });
    github.repository('kernelci/api').addPull({ number: 3, head: 'k3', author: 'alice', files: ['api/main.py', 'doc/x.md'] });
    github.repository('kernelci/api').setCompare('k1', 'k2', ['api/db.py']);
    const paths = new GitHubChangedPaths(testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]));
    expect(await paths.ofPullRequest('KernelCI/API', 3, 91)).toEqual(['api/main.py', 'doc/x.md']);
    expect(await paths.ofPullRequest('acme/app', 3, null)).toEqual(['services/api/a.ts']);
    expect(await paths.ofMain('kernelci/api', 'k1', 'k2', null)).toEqual(['api/db.py']);
    expect(github.calls.filter((c) => c.path.includes('/files') || c.path.includes('/compare/')).map((c) => c.path)).toEqual([
      '/repos/kernelci/api/pulls/3/files',
      '/repos/acme/app/pulls/3/files',
      '/repos/kernelci/api/compare/k1...k2',
    ]);
    await expect(paths.ofPullRequest('acme/other', 3, null)).rejects.toThrow('acme/other is not a configured repository (configured: acme/app, kernelci/api)');
  });
});
