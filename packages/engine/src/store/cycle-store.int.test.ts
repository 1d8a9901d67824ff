import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deletePrefixedKeys, stagecraftKeys, type StageResult } from '@stagecraft/queue';
import { REDIS_URL } from '../testing/engine-harness.js';
import { CycleStore } from './cycle-store.js';
import type { CycleRecord } from './cycle-record.js';

const WRITES = /^(hset|hsetnx|hmset|set|eval|evalsha|multi|pipeline|stagecraft.+)$/i;

/**
 * The connection with `between` run right before its first write goes out, so whatever `between`
 * does lands after this connection started its update and before its write reaches Redis.
 */
function pausedBeforeFirstWrite(redis: Redis, between: () => Promise<void>): Redis {
  let fired = false;
  return new Proxy(redis, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string' || fired || !WRITES.test(prop)) {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (...args: unknown[]) => {
        if (!fired) {
          fired = true;
          await between();
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const header = (id: string): Omit<CycleRecord, 'stages' | 'runningStage'> => ({
  id,
  env: 'staging',
  kind: 'partial',
  state: 'running',
  trigger: 'change',
  reason: 'test',
  requestedBy: null,
  restarts: 0,
  startedAt: 1_700_000_000_000,
  finishedAt: null,
  components: ['api'],
  rebuild: [],
  mainSha: 'm1',
  stagingSha: null,
  repos: [{ repo: 'acme/app', mainSha: 'm1', stagingSha: null }],
  prs: [{ repo: 'acme/app', number: 1, sha: 'a1' }],
  cancelReason: null,
});

describe('cycle records', () => {
  const connections: Redis[] = [];
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const keys = stagecraftKeys(prefix);
  const connect = () => {
    const c = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };
  afterEach(async () => {
    await deletePrefixedKeys(connections[0]!, prefix);
    await Promise.all(connections.splice(0).map((c) => c.quit()));
  });

  it("keep the scheduler's cancel and compose's composition when they land together, in either order", async () => {
    const scheduler = new CycleStore(connect(), keys);
    await scheduler.create(header('staging-1'));
    await scheduler.create(header('staging-2'));
    const composition = { stagingSha: 's1', prs: [{ repo: 'acme/app', number: 2, sha: 'b1' }] };

    // compose's update starts, the scheduler's cancel lands before compose's write.
    const compose = new CycleStore(pausedBeforeFirstWrite(connect(), () => scheduler.update('staging-1', { cancelReason: 'a newer change' }).then(() => undefined)), keys);
    await compose.update('staging-1', composition);
    expect(await scheduler.get('staging-1')).toMatchObject({ ...composition, cancelReason: 'a newer change', mainSha: 'm1', state: 'running' });

    // And the other way round.
    const composer = new CycleStore(connect(), keys);
    const cancelling = new CycleStore(pausedBeforeFirstWrite(connect(), () => composer.update('staging-2', composition).then(() => undefined)), keys);
    await cancelling.update('staging-2', { cancelReason: 'a newer change' });
    expect(await scheduler.get('staging-2')).toMatchObject({ ...composition, cancelReason: 'a newer change', mainSha: 'm1', state: 'running' });
  });

  it('keep a stage result recorded while the cycle is finished', async () => {
    const scheduler = new CycleStore(connect(), keys);
    await scheduler.create(header('staging-1'));
    const result: StageResult = { stage: 'compose', status: 'succeeded', startedAt: 1, finishedAt: 2, summary: 'ok', attempt: 1, details: null, outputTail: [] };
    const worker = new CycleStore(connect(), keys);
    const finishing = new CycleStore(pausedBeforeFirstWrite(connect(), () => worker.recordStage('staging-1', result).then(() => undefined)), keys);
    await finishing.finish('staging-1', 'cancelled', 5);
    expect(await scheduler.get('staging-1')).toMatchObject({ state: 'cancelled', finishedAt: 5, stages: [result] });
  });

  it('keep the first result of a stage', async () => {
    const store = new CycleStore(connect(), keys);
    await store.create(header('staging-1'));
    const first: StageResult = { stage: 'deploy', status: 'succeeded', startedAt: 1, finishedAt: 2, summary: 'first', attempt: 1, details: null, outputTail: [] };
    await store.markRunning('staging-1', { stage: 'deploy', startedAt: 1, attempt: 1 });
    expect(await store.recordStage('staging-1', first)).toBeNull();
    expect(await store.recordStage('staging-1', { ...first, status: 'failed', summary: 'second', attempt: 2 })).toEqual(first);
    expect(await store.get('staging-1')).toMatchObject({ stages: [first], runningStage: null });
  });

  it('do not come into being through an update', async () => {
    const store = new CycleStore(connect(), keys);
    expect(await store.update('staging-9', { cancelReason: 'late' })).toBeNull();
    expect(await store.get('staging-9')).toBeNull();
  });

  it('written whole as one JSON header by earlier versions are read, and updated field by field', async () => {
    const redis = connect();
    const legacy = header('staging-1');
    await redis.hset(keys.cycle('staging-1'), 'header', JSON.stringify(legacy));
    const store = new CycleStore(redis, keys);
    expect(await store.get('staging-1')).toEqual({ ...legacy, stages: [], runningStage: null });
    // A replayed start keeps it.
    await store.create({ ...legacy, reason: 'replayed' });
    await store.update('staging-1', { cancelReason: 'a newer change' });
    await store.finish('staging-1', 'cancelled', 5);
    expect(await store.get('staging-1')).toEqual({ ...legacy, cancelReason: 'a newer change', state: 'cancelled', finishedAt: 5, stages: [], runningStage: null });
  });
});
