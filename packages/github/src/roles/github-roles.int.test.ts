import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { deletePrefixedKeys, stagecraftKeys } from '@stagecraft/queue';
import { createGitHubApp } from '../app/create-github-app.js';
import { createLogger } from '@stagecraft/telemetry';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';
import { GitHubPullRequestLookup } from '../pulls/github-pull-request-lookup.js';
import { GitHubRoles, type RepositoryPermission } from './github-roles.js';
import { RepositoryClients } from '../app/repository-clients.js';
import { repositoryConfig, testClients } from '../test-support/repository-config.js';
import { HeadsStore } from '@stagecraft/engine';
import { startEngineHarness, type EngineHarness } from '@stagecraft/testing';
import { GatedExecutor } from '@stagecraft/testing';
import { commandEvent } from '@stagecraft/testing';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
/** GitHub unreachable (e.g. the installation was removed). */
const offlineGitHub = { repositories: [repositoryConfig('acme/app')], clientFor: () => Promise.reject(new Error('connect ECONNREFUSED')) };

describe('roles from GitHub: teams, repository permission, organisation membership', () => {
  let h: EngineHarness | undefined;
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await h?.close();
    await github?.close();
  });

  async function rolesFor(opts: { maintainerPermissions?: RepositoryPermission[]; trustOrgMembers?: boolean } = {}) {
    github = await startFakeGitHub();
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, log: silent });
    h = await startEngineHarness({ workers: false });
    return new GitHubRoles({
      trust: { maintainers: ['maint', 'acme/release'], trusted: ['alice', 'acme/contractors'], approvers: [] },
      github: new RepositoryClients(app, [repositoryConfig('acme/app')]),
      maintainerPermissions: opts.maintainerPermissions ?? ['admin', 'maintain'],
      trustOrgMembers: opts.trustOrgMembers ?? false,
      redis: h.client,
      keys: h.keys,
      cacheTtlMs: 60_000,
      logger: createLogger({ app: 'test', level: 'silent' }),
    });
  }

  it.each<[string, (g: FakeGitHub) => void, { maintainerPermissions?: RepositoryPermission[]; trustOrgMembers?: boolean }, string]>([
    ['a listed maintainer', () => undefined, {}, 'maintainer'],
    ['a member of a maintainers team', (g) => g.addTeamMember('acme/release', 'bob'), {}, 'maintainer'],
    ['a collaborator with maintain', (g) => g.setPermission('bob', 'maintain'), {}, 'maintainer'],
    ['a collaborator with admin', (g) => g.setPermission('bob', 'admin'), {}, 'maintainer'],
    ['a collaborator with write, by default', (g) => g.setPermission('bob', 'write'), {}, 'untrusted'],
    ['a collaborator with write, when write counts', (g) => g.setPermission('bob', 'write'), { maintainerPermissions: ['admin', 'maintain', 'write'] }, 'maintainer'],
    ['a member of a trusted team', (g) => g.addTeamMember('acme/contractors', 'bob'), {}, 'trusted'],
    ['an org member, by default', (g) => g.addOrgMember('bob'), {}, 'untrusted'],
    ['an org member, when org members are trusted', (g) => g.addOrgMember('bob'), { trustOrgMembers: true }, 'trusted'],
    ['nobody in particular', () => undefined, {}, 'untrusted'],
  ])('%s', async (name, arrange, opts, expected) => {
    const roles = await rolesFor(opts);
    arrange(github!);
    expect(await roles.roleOf(name === 'a listed maintainer' ? 'maint' : 'bob')).toBe(expected);
  });

  it('approvers and admins: listed logins, or active members of listed org/team entries; nothing when GitHub cannot answer', async () => {
    const base = await rolesFor();
    const roles = new GitHubRoles({ ...(base as unknown as { s: ConstructorParameters<typeof GitHubRoles>[0] }).s, trust: { maintainers: [], trusted: [], approvers: ['boss', 'acme/release-managers'], admins: ['acme/sre'] } });
    github!.addTeamMember('acme/release-managers', 'carol');
    github!.addTeamMember('acme/sre', 'dave');
    expect(await roles.isApprover('Boss')).toBe(true);
    expect(await roles.isApprover('carol')).toBe(true);
    expect(await roles.isApprover('dave')).toBe(false);
    expect(await roles.isAdmin('dave')).toBe(true);
    expect(await roles.isAdmin('carol')).toBe(false);
    const offline = new GitHubRoles({ ...(roles as unknown as { s: ConstructorParameters<typeof GitHubRoles>[0] }).s, github: offlineGitHub });
    expect(await offline.isApprover('erin')).toBe(false);
    expect(await offline.isApprover('boss')).toBe(true);
  });

  it('caches what GitHub said, and keeps only the config role when GitHub cannot answer', async () => {
    const roles = await rolesFor();
    github!.setPermission('bob', 'admin');
    expect(await roles.roleOf('bob')).toBe('maintainer');
    const asked = github!.calls.length;
    expect(await roles.roleOf('BOB')).toBe('maintainer');
    expect(github!.calls.length).toBe(asked);
    // GitHub unreachable (e.g. the installation was removed): the lists still count, nothing more.
    const offline = new GitHubRoles({ ...(roles as unknown as { s: ConstructorParameters<typeof GitHubRoles>[0] }).s, github: offlineGitHub });
    expect(await offline.roleOf('alice')).toBe('trusted');
    expect(await offline.roleOf('carol')).toBe('untrusted');
    expect(await offline.roleOf('maint')).toBe('maintainer');
  });

  it('a deploy from a repository admin runs, and on a PR no webhook announced it looks the PR up and approves exactly its head', async () => {
    github = await startFakeGitHub();
    github.setPermission('admin-user', 'admin');
    github.addPull({ number: 12, head: 'h12', author: 'stranger' });
    const app = createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, log: silent });
    const clients = new RepositoryClients(app, [repositoryConfig('acme/app')]);
    const cache = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const cachePrefix = `sctest-${randomBytes(6).toString('hex')}`;
    try {
      const roles = new GitHubRoles({
        trust: { maintainers: ['maint'], trusted: ['alice'], approvers: [] },
        github: clients,
        maintainerPermissions: ['admin', 'maintain'],
        trustOrgMembers: false,
        redis: cache,
        keys: stagecraftKeys(cachePrefix),
        cacheTtlMs: 60_000,
        logger: createLogger({ app: 'test', level: 'silent' }),
      });
      h = await startEngineHarness({ executor: () => new GatedExecutor(), roles, pullRequests: new GitHubPullRequestLookup(clients) });
      await h.engine.handleEvent(commandEvent({ by: 'admin-user', pr: 12, isPullRequest: true }));
      const [cycle] = await h.waitFor('the cycle', async () => {
        const cycles = await h!.listCycles();
        return cycles[0]?.state === 'succeeded' ? cycles : null;
      });
      expect(cycle!.prs).toEqual([{ repo: 'acme/app', number: 12, sha: 'h12' }]);
      expect(await new HeadsStore(h.client, h.keys).approvedSha('acme/app', 12)).toBe('h12');
    } finally {
      await deletePrefixedKeys(cache, cachePrefix);
      cache.disconnect();
    }
  });

  it('several organisations: a team is asked through the installation on its organisation; the permission and org membership are the first repository\'s', async () => {
    github = await startFakeGitHub({ repos: [{ owner: 'acme', repo: 'app', installationId: 77 }, { owner: 'kernelci', repo: 'api', installationId: 91 }] });
    h = await startEngineHarness({ workers: false });
    const roles = new GitHubRoles({
      trust: { maintainers: ['acme/release', 'kernelci/maintainers'], trusted: ['kernelci/contributors'], approvers: [] },
      github: testClients(github, [repositoryConfig('acme/app'), repositoryConfig('kernelci/api')]),
      maintainerPermissions: ['admin'],
      trustOrgMembers: true,
      redis: h.client,
      keys: h.keys,
      cacheTtlMs: 60_000,
      logger: createLogger({ app: 'test', level: 'silent' }),
    });
    github.addTeamMember('kernelci/maintainers', 'kim');
    github.addTeamMember('kernelci/contributors', 'carl');
    github.setPermission('ada', 'admin');
    github.repository('kernelci/api').setPermission('bob', 'admin');
    github.addOrgMember('olga', 'acme');
    github.addOrgMember('otto', 'kernelci');
    expect(await roles.roleOf('kim')).toBe('maintainer');
    expect(await roles.roleOf('carl')).toBe('trusted');
    expect(await roles.roleOf('ada')).toBe('maintainer');
    // An admin of the second repository only is not a maintainer of every repository.
    expect(await roles.roleOf('bob')).toBe('untrusted');
    expect(await roles.roleOf('olga')).toBe('trusted');
    expect(await roles.roleOf('otto')).toBe('untrusted');
    // kim's membership is visible to kernelci's installation only (acme's token gets a 404, as on GitHub).
    expect(github.calls.some((c) => c.path === '/app/installations/91/access_tokens')).toBe(true);
  });
});
