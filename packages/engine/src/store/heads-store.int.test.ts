import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deletePrefixedKeys, stagecraftKeys } from '@stagecraft/queue';
import { staticRoles } from '../scheduler/role-resolver.js';
import { HeadsStore, type ReadyRules } from './heads-store.js';
import type { PullRequestHead } from './pull-request-head.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 24 * 3_600_000;
const head = (number: number, over: Partial<PullRequestHead> = {}): PullRequestHead => ({
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
  const rules = (): ReadyRules => ({
    mainBranch: 'main',
    skipLabel: 'staging-skip',
    maxAgeMs: 14 * DAY,
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
    await heads.apply([{ kind: 'main', sha: 'm1', order: { sha: 'm1', receivedAt: 1 } }]);
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
    await heads.approve(8, 'h8', 'maint');
    await heads.skip(9, 'alice');
    expect(await heads.readySnapshot(rules())).toEqual({
      main: 'm1',
      prs: [1, 5, 8, 10].map((n) => ({ number: n, sha: `h${n}` })),
    });
  });

  it('follows the configured label and age', async () => {
    await heads.apply([{ kind: 'pr-upsert', head: head(1, { labels: ['wip'] }), order: { receivedAt: 1 } }]);
    await heads.apply([{ kind: 'pr-upsert', head: head(2, { updatedAt: new Date(NOW - 3 * DAY).toISOString() }), order: { receivedAt: 1 } }]);
    expect((await heads.readySnapshot({ ...rules(), skipLabel: 'wip', maxAgeMs: 2 * DAY })).prs).toEqual([]);
    expect((await heads.readySnapshot(rules())).prs.map((p) => p.number)).toEqual([1, 2]);
  });
});
