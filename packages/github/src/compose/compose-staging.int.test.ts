import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { composeStaging } from './compose-staging.js';
import { createGitHubApp } from '../app/create-github-app.js';
import { listOpenPullRequests } from '../pulls/list-open-pull-requests.js';
import { selectReadyPullRequests } from '../pulls/select-ready-pull-requests.js';
import { startFakeGitHub, type FakeGitHub } from '@stagecraft/testing';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const DAY = 24 * 3600_000;

describe('composing staging through the GitHub API', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
  });
  afterEach(async () => {
    await github.close();
  });

  const octokit = () =>
    createGitHubApp({ appId: github.appId, privateKey: github.privateKey, baseUrl: github.baseUrl, writeIntervalMs: 0, log: silent }).getInstallationOctokit(77);

  it('merges the ready PRs oldest first and names what each conflicting one conflicts with', async () => {
    github.addPull({ number: 1, head: 'h1', author: 'alice' });
    github.addPull({ number: 2, head: 'h2', author: 'alice', conflictsWith: ['main'] });
    github.addPull({ number: 3, head: 'h3', author: 'alice', conflictsWith: [1] });
    github.addPull({ number: 4, head: 'h4', author: 'alice' });
    const client = await octokit();
    const result = await composeStaging(client, { owner: 'acme', repo: 'app' }, {
      mainBranch: 'main',
      stagingBranch: 'staging',
      pulls: [1, 2, 3, 4].map((n) => ({ number: n, headSha: `h${n}` })),
    });
    expect(result.included).toEqual([{ number: 1, sha: 'h1' }, { number: 4, sha: 'h4' }]);
    expect(result.conflicts).toEqual([
      { number: 2, sha: 'h2', with: 'main' },
      { number: 3, sha: 'h3', with: 1 },
    ]);
    expect(github.refs.get('staging')?.sha).toBe(result.stagingSha);
    expect(github.refs.get('staging')?.holds).toEqual(['main', 1, 4]);
    expect(github.refs.has('stagecraft-scratch')).toBe(false);
  });

  it('resets an existing staging branch to main before merging', async () => {
    github.addPull({ number: 1, head: 'h1', author: 'alice' });
    const client = await octokit();
    const first = await composeStaging(client, { owner: 'acme', repo: 'app' }, { mainBranch: 'main', stagingBranch: 'staging', pulls: [{ number: 1, headSha: 'h1' }] });
    const second = await composeStaging(client, { owner: 'acme', repo: 'app' }, { mainBranch: 'main', stagingBranch: 'staging', pulls: [] });
    expect(first.stagingSha).not.toBe(first.mainSha);
    expect(second).toMatchObject({ stagingSha: second.mainSha, included: [] });
    expect(github.refs.get('staging')?.holds).toEqual(['main']);
  });

  it('selects ready PRs: not draft, on main, fresh, not skipped, trusted or approved', async () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const fresh = new Date(now - DAY).toISOString();
    github.addPull({ number: 1, head: 'h1', author: 'alice', updatedAt: fresh });
    github.addPull({ number: 2, head: 'h2', author: 'alice', updatedAt: fresh, draft: true });
    github.addPull({ number: 3, head: 'h3', author: 'alice', updatedAt: fresh, base: 'release' });
    github.addPull({ number: 4, head: 'h4', author: 'alice', updatedAt: fresh, labels: ['staging-skip'] });
    github.addPull({ number: 5, head: 'h5', author: 'alice', updatedAt: new Date(now - 20 * DAY).toISOString() });
    github.addPull({ number: 6, head: 'h6', author: 'mallory', updatedAt: fresh });
    github.addPull({ number: 7, head: 'h7', author: 'mallory', updatedAt: fresh });
    github.addPull({ number: 8, head: 'h8', author: 'alice', updatedAt: fresh });
    const pulls = await listOpenPullRequests(await octokit(), { owner: 'acme', repo: 'app' });
    const verdict = selectReadyPullRequests('acme/app', pulls, {
      mainBranch: 'main',
      maxAgeMs: 14 * DAY,
      skipLabel: 'staging-skip',
      now,
      trustedAuthor: (login) => login === 'alice',
      approvedSha: (pr) => (pr.repo === 'acme/app' && pr.number === 7 ? 'h7' : undefined),
      skippedByCommand: (pr) => pr.number === 8,
    });
    expect(verdict.ready.map((p) => p.number)).toEqual([1, 7]);
    expect(verdict.left.map((l) => [l.pr.number, l.reason])).toEqual([
      [2, 'draft'],
      [3, 'targets release, not main'],
      [4, 'labelled staging-skip'],
      [5, 'not updated within maxAge'],
      [6, 'author not trusted and this head not approved'],
      [8, 'skipped with the skip command'],
    ]);
  });
});
