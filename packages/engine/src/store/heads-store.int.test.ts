import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deletePrefixedKeys, stagecraftKeys } from '@stagecraft/queue';
import { staticRoles } from '../scheduler/role-resolver.js';
import { HeadsStore, type ReadyRules } from './heads-store.js';
import { HeadChecksStore } from './head-checks-store.js';
import type { PullRequestHead } from './pull-request-head.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 24 * 3_600_000;
const head = (number: number, over: Partial<PullRequestHead> = {}): PullRequestHead => ({
  repo: 'acme/app',
  number,
  sha: `h${number}`,
  author: 'alice',
  baseRef: 'main',
  draft: false,
  labels: [],
  updatedAt: new Date(NOW - DAY).toISOString(),
  ...over,
});

describe('HeadsStore.readySnapshot on real Redis', () => {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let heads: HeadsStore;
  const rules = (over: { skipLabel?: string; maxAgeMs?: number } = {}): ReadyRules => ({
    repositories: [{ name: 'acme/app', mainBranch: 'main', skipLabel: 'staging-skip', maxAgeMs: 14 * DAY, ...over }],
    now: NOW,
    roles: staticRoles({ maintainers: ['maint'], trusted: ['alice'], approvers: [] }),
  });

  beforeEach(() => {
    redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    heads = new HeadsStore(redis, stagecraftKeys(prefix));
  });
  afterEach(async () => {
    await deletePrefixedKeys(redis, prefix);
    await redis.quit();
  });

  it('holds main and the ready PRs only, by number', async () => {
    await heads.apply([{ kind: 'main', repo: 'acme/app', sha: 'm1', order: { sha: 'm1', receivedAt: 1 } }]);
    for (const h of [
      head(5),
      head(1),
      head(2, { draft: true }),
      head(3, { baseRef: 'release' }),
      head(4, { labels: ['bug', 'staging-skip'] }),
      head(6, { updatedAt: new Date(NOW - 15 * DAY).toISOString() }),
      head(7, { author: 'stranger' }),
      head(8, { author: 'stranger' }),
      head(9),
      head(10, { updatedAt: null }),
    ]) {
      await heads.apply([{ kind: 'pr-upsert', head: h, order: { receivedAt: 1 } }]);
    }
    await heads.approve('acme/app', 8, 'h8', 'maint');
    await heads.skip('acme/app', 9, 'alice');
    expect(await heads.readySnapshot(rules())).toEqual({
      mains: { 'acme/app': 'm1' },
      prs: [1, 5, 8, 10].map((n) => ({ repo: 'acme/app', number: n, sha: `h${n}` })),
      waiting: [],
    });
  });

  it('follows the configured label and age', async () => {
    await heads.apply([{ kind: 'pr-upsert', head: head(1, { labels: ['wip'] }), order: { receivedAt: 1 } }]);
    await heads.apply([{ kind: 'pr-upsert', head: head(2, { updatedAt: new Date(NOW - 3 * DAY).toISOString() }), order: { receivedAt: 1 } }]);
    expect((await heads.readySnapshot(rules({ skipLabel: 'wip', maxAgeMs: 2 * DAY }))).prs).toEqual([]);
    expect((await heads.readySnapshot(rules())).prs.map((p) => p.number)).toEqual([1, 2]);
  });

  it('keeps each repository apart: its main, its PRs by its own rules, approvals and skips of one PR number in two repositories', async () => {
    const two: ReadyRules = {
      repositories: [
        { name: 'acme/api', mainBranch: 'main', skipLabel: 'staging-skip', maxAgeMs: 14 * DAY },
        { name: 'Other-Org/Core', mainBranch: 'trunk', skipLabel: 'no-staging', maxAgeMs: 14 * DAY },
      ],
      now: NOW,
      roles: staticRoles({ maintainers: ['maint'], trusted: ['alice'], approvers: [] }),
    };
    // Webhooks may spell a repository in another case than the config: it is the same repository.
    await heads.apply([
      { kind: 'main', repo: 'acme/api', sha: 'a-main', order: { sha: 'a-main', receivedAt: 1 } },
      { kind: 'main', repo: 'other-org/core', sha: 'c-main', order: { sha: 'c-main', receivedAt: 1 } },
    ]);
    for (const h of [
      head(3, { repo: 'acme/api', author: 'stranger', sha: 'a3' }),
      head(3, { repo: 'other-org/core', author: 'stranger', sha: 'c3', baseRef: 'trunk' }),
      head(4, { repo: 'acme/api', labels: ['no-staging'] }),
      head(4, { repo: 'Other-Org/Core', labels: ['no-staging'], baseRef: 'trunk' }),
      head(5, { repo: 'other-org/core', baseRef: 'main' }),
      head(6, { repo: 'gone/repo' }),
    ]) {
      await heads.apply([{ kind: 'pr-upsert', head: h, order: { receivedAt: 1 } }]);
    }
    await heads.approve('other-org/core', 3, 'c3', 'maint');
    expect(await heads.readySnapshot(two)).toEqual({
      mains: { 'acme/api': 'a-main', 'Other-Org/Core': 'c-main' },
      prs: [
        { repo: 'acme/api', number: 4, sha: 'h4' },
        { repo: 'Other-Org/Core', number: 3, sha: 'c3' },
      ],
      waiting: [],
    });
    await heads.skip('acme/api', 4, 'alice');
    expect((await heads.readySnapshot(two)).prs.map((p) => `${p.repo}#${p.number}`)).toEqual(['Other-Org/Core#3']);
    await heads.apply([{ kind: 'pr-remove', repo: 'Other-Org/Core', pr: 3, order: { receivedAt: 2 } }]);
    expect(await heads.getPr('other-org/core', 3)).toBeNull();
    expect(await heads.getPr('acme/api', 3)).toMatchObject({ sha: 'a3' });
  });

  it('holds back a PR whose repository requires checks until they are green on its head, and says why', async () => {
    const keys = stagecraftKeys(prefix);
    const checks = new HeadChecksStore(redis, keys);
    for (const h of [head(1), head(2), head(3), head(4, { draft: true }), head(5, { repo: 'acme/docs' })]) {
      await heads.apply([{ kind: 'pr-upsert', head: h, order: { receivedAt: 1 } }]);
    }
    await checks.merge('acme/app', 'h1', [{ type: 'run', name: 'ci/build', state: 'green', at: 1 }, { type: 'status', name: 'lint', state: 'green', at: 1 }], null);
    await checks.merge('acme/app', 'h2', [{ type: 'run', name: 'ci/build', state: 'pending', at: 1 }], null);
    await checks.merge('acme/app', 'h3', [{ type: 'run', name: 'ci/build', state: 'failed', at: 1 }, { type: 'status', name: 'lint', state: 'green', at: 1 }], null);
    const required: ReadyRules = {
      ...rules(),
      repositories: [...rules().repositories.map((r) => ({ ...r, requireChecks: ['ci/build', 'lint'] })), { name: 'acme/docs', mainBranch: 'main', skipLabel: 'staging-skip', maxAgeMs: 14 * DAY }],
      checks: { required: new Map([['acme/app', { names: ['ci/build', 'lint'] }]]), store: checks },
    };
    expect(await heads.readySnapshot(required)).toEqual({
      mains: { 'acme/app': null, 'acme/docs': null },
      prs: [
        { repo: 'acme/app', number: 1, sha: 'h1' },
        { repo: 'acme/docs', number: 5, sha: 'h5' },
      ],
      waiting: [
        { repo: 'acme/app', number: 2, sha: 'h2', reason: 'waiting for checks: ci/build, lint' },
        { repo: 'acme/app', number: 3, sha: 'h3', reason: 'checks failed: ci/build' },
      ],
    });
    // Reading a head's checks keeps them for as long again: an open PR's head does not lose them.
    expect(await redis.pttl(keys.headChecks('acme/app', 'h1'))).toBeGreaterThan(29 * DAY);
  });

  it('lists the open PRs whose head a commit is, in the repository asked', async () => {
    await heads.apply([
      { kind: 'pr-upsert', head: head(1, { sha: 'same' }), order: { receivedAt: 1 } },
      { kind: 'pr-upsert', head: head(2, { sha: 'same', baseRef: 'release' }), order: { receivedAt: 1 } },
      { kind: 'pr-upsert', head: head(3), order: { receivedAt: 1 } },
      { kind: 'pr-upsert', head: head(4, { repo: 'acme/other', sha: 'same' }), order: { receivedAt: 1 } },
    ]);
    expect((await heads.prsAtHead('ACME/app', 'same')).map((p) => p.number).sort()).toEqual([1, 2]);
    expect(await heads.prsAtHead('acme/app', 'unknown')).toEqual([]);
  });
});
