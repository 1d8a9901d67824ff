import { afterEach, describe, expect, it } from '@jest/globals';
import { parseConfig } from '@stagecraft/config';
import { createLogger } from '@stagecraft/telemetry';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';
import { githubAppFromConfig } from './github-app-from-config.js';
import { RepositoryClients } from './repository-clients.js';
import { repositoryConfig, testApp } from '../test-support/repository-config.js';

const logger = createLogger({ app: 'test', level: 'silent' });

describe('one GitHub App on several repositories: an installation per repository, looked up and cached', () => {
  let github: FakeGitHub;
  afterEach(async () => {
    await github?.close();
  });

  const twoOwners = () =>
    startFakeGitHub({
      repos: [
        { owner: 'acme', repo: 'app', installationId: 77 },
        { owner: 'kernelci', repo: 'api', installationId: 91 },
      ],
    });
  const lookups = () => github.calls.filter((c) => c.path.endsWith('/installation')).map((c) => c.path);
  const tokens = () => github.calls.filter((c) => c.path.endsWith('/access_tokens')).map((c) => c.path);
  const readMain = async (clients: RepositoryClients, repo: string, installationId?: number | null) => {
    const [owner, name] = repo.split('/');
    const octokit = await clients.clientFor(repo, installationId);
    return (await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: owner!, repo: name!, ref: 'heads/main' })).data.object.sha;
  };

  it('looks each repository up once (concurrent callers share the lookup) and uses its own installation for it', async () => {
    github = await twoOwners();
    github.repository('kernelci/api').setMain('k-main');
    const clients = new RepositoryClients(testApp(github), [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]);
    expect(await Promise.all([clients.installationOf('acme/app'), clients.installationOf('acme/app'), clients.installationOf('KernelCI/API')])).toEqual([77, 77, 91]);
    expect(await readMain(clients, 'kernelci/api')).toBe('k-main');
    expect(await readMain(clients, 'kernelci/api')).toBe('k-main');
    await readMain(clients, 'acme/app');
    expect(lookups().sort()).toEqual(['/repos/acme/app/installation', '/repos/kernelci/api/installation']);
    expect(tokens().sort()).toEqual(['/app/installations/77/access_tokens', '/app/installations/91/access_tokens']);
  });

  it("takes a webhook's installation id without asking, and a newer one replaces the cached id", async () => {
    github = await twoOwners();
    const clients = new RepositoryClients(testApp(github), [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]);
    await readMain(clients, 'kernelci/api', 91);
    expect(await clients.installationOf('kernelci/api')).toBe(91);
    expect(lookups()).toEqual([]);
    // The App was reinstalled on kernelci: its webhooks now carry the new id.
    expect(await clients.installationOf('kernelci/api', 92)).toBe(92);
    expect(await clients.installationOf('kernelci/api')).toBe(92);
  });

  it('drops an installation GitHub no longer knows, says so without a 404 status, and looks it up again next time', async () => {
    github = await twoOwners();
    const clients = new RepositoryClients(testApp(github), [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]);
    // A stale id (say, from a webhook delivered before the App was reinstalled).
    const failure = await readMain(clients, 'kernelci/api', 555).catch((err: unknown) => err);
    expect(failure).toMatchObject({ name: 'InstallationGoneError', installationId: 555, repository: 'kernelci/api' });
    expect((failure as { status?: number }).status).toBeUndefined();
    expect(String((failure as Error).message)).toContain('looks the installation up again on the next try');
    await readMain(clients, 'kernelci/api');
    expect(lookups()).toEqual(['/repos/kernelci/api/installation']);
    expect(await clients.installationOf('kernelci/api')).toBe(91);
  });

  it('tells the operator what to do for a repository the App is not installed on, and for one not configured', async () => {
    github = await twoOwners();
    const clients = new RepositoryClients(testApp(github), [repositoryConfig('acme/app'), repositoryConfig('acme/missing')]);
    await expect(clients.clientFor('acme/missing')).rejects.toThrow(
      'the GitHub App is not installed on acme/missing (GET /repos/acme/missing/installation answered 404): install it there',
    );
    await expect(clients.clientFor('kernelci/api')).rejects.toThrow('kernelci/api is not a configured repository (configured: acme/app, acme/missing): add it to repositories:');
    expect(lookups()).toEqual(['/repos/acme/missing/installation']);
  });

  it("an installation's token does not see another installation's repository, as on GitHub", async () => {
    github = await twoOwners();
    const acme = await testApp(github).getInstallationOctokit(77);
    await expect(acme.request('GET /repos/{owner}/{repo}/pulls', { owner: 'kernelci', repo: 'api' })).rejects.toMatchObject({ status: 404 });
    await expect(acme.request('GET /repos/{owner}/{repo}/pulls', { owner: 'ACME', repo: 'App' })).resolves.toMatchObject({ status: 200 });
  });

  it('from the config: the App with every configured repository; null without the App', async () => {
    github = await twoOwners();
    const env = { GITHUB_PRIVATE_KEY: github.privateKey, GITHUB_WEBHOOK_SECRET: 'secret' };
    const config = parseConfig(
      {
        github: { appId: github.appId, privateKey: { env: 'GITHUB_PRIVATE_KEY' }, baseUrl: github.baseUrl, writeInterval: '0s', commentInterval: '0s' },
        repositories: [{ name: 'acme/app' }, { name: 'kernelci/api', stagingBranch: 'staging.kernelci' }],
        components: [
          { name: 'app', repository: 'acme/app', paths: ['**'] },
          { name: 'api', repository: 'kernelci/api', paths: ['**'] },
        ],
      },
      'stagecraft.yaml',
      env,
    );
    const clients = githubAppFromConfig(config, logger)!;
    expect(clients.repositories.map((r) => [r.name, r.stagingBranch])).toEqual([
      ['acme/app', 'staging'],
      ['kernelci/api', 'staging.kernelci'],
    ]);
    // Handed around as a plain function, as the apps do.
    const { clientFor } = clients;
    const octokit = await clientFor('kernelci/api');
    expect((await octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: 'kernelci', repo: 'api' })).status).toBe(200);
    expect(githubAppFromConfig(parseConfig({ github: { repository: 'acme/app' } }, 'stagecraft.yaml', env), logger)).toBeNull();
  });
});
