import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deletePrefixedKeys, stagecraftKeys, type CheckReport } from '@stagecraft/queue';
import { HEAD_CHECKS_RETENTION_MS, HeadChecksStore } from './head-checks-store.js';

const run = (name: string, state: CheckReport['state'], at: number): CheckReport => ({ type: 'run', name, state, at });
const byName = (reports: CheckReport[]) => Object.fromEntries(reports.map((r) => [`${r.type}:${r.name}`, `${r.state}@${r.at}`]));

describe('HeadChecksStore on real Redis', () => {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  let redis: Redis;
  let store: HeadChecksStore;

  beforeEach(() => {
    redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    store = new HeadChecksStore(redis, keys);
  });
  afterEach(async () => {
    await deletePrefixedKeys(redis, prefix);
    await redis.quit();
  });

  it('keeps the newest state of each check run and status, whatever order they arrive in', async () => {
    await store.merge('acme/app', 's1', [run('ci/build', 'green', 200), { type: 'status', name: 'ci/build', state: 'pending', at: 100 }], 'e1');
    // A late delivery of an older state changes nothing; a newer one replaces it.
    const late = await store.merge('acme/app', 's1', [run('ci/build', 'pending', 100), { type: 'status', name: 'ci/build', state: 'failed', at: 300 }], 'e2');
    expect(byName(late.before)).toEqual({ 'run:ci/build': 'green@200', 'status:ci/build': 'pending@100' });
    expect(byName(late.after)).toEqual({ 'run:ci/build': 'green@200', 'status:ci/build': 'failed@300' });
  });

  it('at the same time (GitHub has whole seconds), a result wins over pending, never the other way', async () => {
    await store.merge('acme/app', 's1', [run('lint', 'pending', 100)], null);
    expect(byName((await store.merge('acme/app', 's1', [run('lint', 'green', 100)], null)).after)).toEqual({ 'run:lint': 'green@100' });
    expect(byName((await store.merge('acme/app', 's1', [run('lint', 'pending', 100)], null)).after)).toEqual({ 'run:lint': 'green@100' });
  });

  it('answers a re-run event with the same before, so the change it made is seen again', async () => {
    await store.merge('acme/app', 's1', [run('ci/build', 'pending', 100)], 'created');
    const first = await store.merge('acme/app', 's1', [run('ci/build', 'green', 200)], 'completed');
    const again = await store.merge('acme/app', 's1', [run('ci/build', 'green', 200)], 'completed');
    expect(byName(again.before)).toEqual({ 'run:ci/build': 'pending@100' });
    expect(again).toEqual(first);
    // The first event of a commit had nothing before it, and says so again too.
    expect((await store.merge('acme/app', 's1', [run('ci/build', 'pending', 100)], 'created')).before).toEqual([]);
  });

  it('keeps each commit of each repository apart, for 30 days from the last write', async () => {
    await store.merge('acme/app', 's1', [run('ci/build', 'green', 1)], null);
    await store.merge('ACME/other', 's1', [run('ci/build', 'failed', 1)], null);
    expect((await store.readHeads([{ repo: 'acme/app', sha: 's1' }, { repo: 'acme/other', sha: 's1' }, { repo: 'acme/app', sha: 'nothing' }])).map(byName)).toEqual([
      { 'run:ci/build': 'green@1' },
      { 'run:ci/build': 'failed@1' },
      {},
    ]);
    const ttl = await redis.pttl(keys.headChecks('acme/app', 's1'));
    expect(ttl).toBeGreaterThan(HEAD_CHECKS_RETENTION_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(HEAD_CHECKS_RETENTION_MS);
  });
});
