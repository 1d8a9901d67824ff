import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createGitHubApp, type GitHubApp } from './create-github-app.js';
import { listOpenPullRequests } from '../pulls/list-open-pull-requests.js';
import { listPullRequestFiles } from '../pulls/list-pull-request-files.js';
import { postNotification } from '../report/post-notification.js';
import { RepositoryClients } from './repository-clients.js';
import { repositoryConfig } from '../test-support/repository-config.js';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the GitHub App against a local GitHub API server', () => {
  let github: FakeGitHub;
  let app: GitHubApp;
  const warnings: string[] = [];

  beforeEach(async () => {
    github = await startFakeGitHub();
    warnings.length = 0;
    app = createGitHubApp({
      appId: github.appId,
      privateKey: github.privateKey,
      baseUrl: github.baseUrl,
      retryAfterBaseMs: 10,
      writeIntervalMs: 0,
      log: { ...silent, warn: (m) => warnings.push(m) },
    });
  });
  afterEach(async () => {
    await github.close();
  });

  it('gets an installation token with the app JWT once and reuses it', async () => {
    const octokit = await app.getInstallationOctokit(77);
    await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: 'acme', repo: 'app', ref: 'heads/main' });
    await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: 'acme', repo: 'app', ref: 'heads/main' });
    expect(github.calls.filter((c) => c.path === '/app/installations/77/access_tokens')).toHaveLength(1);
    expect(github.calls.at(-1)?.auth).toMatch(/^token ghs_/);
  });

  it('lists 150 open pull requests across pages', async () => {
    for (let n = 1; n <= 150; n++) github.addPull({ number: n, head: `sha${n}`, author: n % 2 ? 'alice' : 'bob', labels: n === 3 ? ['staging-skip'] : [] });
    const octokit = await app.getInstallationOctokit(77);
    const pulls = await listOpenPullRequests(octokit, { owner: 'acme', repo: 'app' });
    expect(pulls).toHaveLength(150);
    expect(pulls[2]).toMatchObject({ number: 3, headSha: 'sha3', author: 'alice', labels: ['staging-skip'], baseRef: 'main' });
    expect(github.calls.filter((c) => c.path === '/repos/acme/app/pulls').map((c) => c.query['page'] ?? '1')).toEqual(['1', '2']);
  });

  it.each([
    ['a few files', 3, 3],
    ['250 files over three pages', 250, 250],
    ['3,000 files, where GitHub stops listing', 3000, null],
  ])('lists the files of a PR with %s', async (_name, count, expected) => {
    github.addPull({ number: 4, head: 'h4', author: 'alice', files: Array.from({ length: count }, (_, i) => `src/f${i}.ts`) });
    const files = await listPullRequestFiles(await app.getInstallationOctokit(77), { owner: 'acme', repo: 'app' }, 4);
    expect(files === null ? null : files.length).toBe(expected);
  });

  it('waits out a secondary rate limit and writes exactly once', async () => {
    const octokit = await app.getInstallationOctokit(77);
    github.rateLimitNextWrites(1);
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'app', issue_number: 5, body: 'deployed' });
    expect(github.comments).toHaveLength(1);
    expect(github.calls.filter((c) => c.path === '/repos/acme/app/issues/5/comments')).toHaveLength(2);
    expect(warnings).toEqual([expect.stringContaining('secondary rate limit')]);
  });

  it('posts a reaction on the command and a reply on the PR', async () => {
    const clients = new RepositoryClients(app, [repositoryConfig('acme/app')]);
    await postNotification(clients, { type: 'reaction', key: 'react.9', repo: 'acme/app', installationId: 77, commentId: 9, content: 'eyes' });
    await postNotification(clients, { type: 'reply', key: 'reply.d', repo: 'ACME/App', installationId: 77, issue: 42, body: 'Started a partial cycle now.' });
    expect(github.calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
      ['/app/installations/77/access_tokens', null],
      ['/repos/acme/app/issues/comments/9/reactions', { content: 'eyes' }],
      ['/repos/acme/app/issues/42/comments', { body: 'Started a partial cycle now.' }],
    ]);
    expect(github.comments).toEqual([expect.objectContaining({ issue: 42, body: 'Started a partial cycle now.' })]);
  });

  it('reports a merge conflict as a 409 without retrying it', async () => {
    github.addPull({ number: 9, head: 'sha9', author: 'alice', conflictsWith: ['main'] });
    const octokit = await app.getInstallationOctokit(77);
    await expect(octokit.request('POST /repos/{owner}/{repo}/merges', { owner: 'acme', repo: 'app', base: 'main', head: 'sha9' })).rejects.toMatchObject({ status: 409 });
    expect(github.calls.filter((c) => c.path === '/repos/acme/app/merges')).toHaveLength(1);
  });

  it('refuses a JWT signed with another key', async () => {
    const stranger = createGitHubApp({ appId: github.appId, privateKey: (await startOther()).privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, log: silent });
    const octokit = await stranger.getInstallationOctokit(77);
    await expect(octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 401 });
    expect(github.calls.some((c) => c.path === '/repos/acme/app/pulls')).toBe(false);
  });
});

async function startOther() {
  const other = await startFakeGitHub();
  await other.close();
  return other;
}
