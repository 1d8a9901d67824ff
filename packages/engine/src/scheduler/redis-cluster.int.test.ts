import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { parseConfig } from '@stagecraft/config';
import {
  CatalogQueue,
  createCatalogWorker,
  createRedisConnection,
  deletePrefixedKeys,
  isRedisCluster,
  redisNodesToScan,
  type NormalizedEvent,
  stagecraftKeys,
  type RedisTarget,
} from '@stagecraft/queue';
import { StageLeases } from '../stage/stage-lease.js';
import { redisTargetOf } from '@stagecraft/queue';
import { startEngineHarness } from '../testing/engine-harness.js';
import { GatedExecutor } from '../testing/gated-executor.js';
import { pushEvent } from '../testing/events.js';
import { startRedisCluster, type RedisCluster } from '../testing/redis-cluster.js';

let cluster: RedisCluster;
const opened: Redis[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 30_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.quit().catch(() => c.disconnect())));
  await cluster?.stop();
});

/** The config an operator would write, read the way the apps read it. */
function clusterConfig(prefix: string): RedisTarget {
  const nodes = cluster.nodes.map((n) => `${n.host}:${n.port}`);
  return redisTargetOf(parseConfig({ redis: { prefix, cluster: { nodes } } }, 'stagecraft.yaml', {}).redis);
}

function connect(target: RedisTarget, purpose: 'worker' | 'producer' | 'client'): Redis {
  const c = createRedisConnection(target, purpose);
  opened.push(c);
  return c;
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise((resolve) => redis.once('ready', resolve));
}

/** Every key under the prefix, with the primary it lives on and its hash slot. */
async function keysOf(client: Redis, prefix: string) {
  const found: Array<{ key: string; node: string; slot: number }> = [];
  for (const node of await redisNodesToScan(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) found.push({ key, node: `${node.options.port}`, slot: Number(await node.call('CLUSTER', 'KEYSLOT', key)) });
    } while (cursor !== '0');
  }
  return found;
}

const hashTagged = () => `{sc-${randomBytes(4).toString('hex')}}`;
const waitUntil = async (what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Stagecraft on a 3-primary Redis Cluster', () => {
  it('enqueues through the catalog and a worker processes it', async () => {
    const prefix = hashTagged();
    const target = clusterConfig(prefix);
    const producer = connect(target, 'producer');
    expect(isRedisCluster(producer)).toBe(true);
    await ready(producer);
    const queue = new CatalogQueue('events', { connection: producer, prefix });
    const seen: NormalizedEvent[] = [];
    const worker = createCatalogWorker('events', async (event) => void seen.push(event), { connection: connect(target, 'worker'), prefix });
    try {
      const events = [pushEvent(), pushEvent()];
      await queue.addBulk(events.map((e) => ({ name: e.kind, data: e, opts: { jobId: e.id } })));
      await waitUntil('both events processed', () => seen.length === 2);
      expect(seen.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    } finally {
      await worker.close();
      await queue.close();
    }
    const client = connect(target, 'client');
    expect(await deletePrefixedKeys(client, prefix)).toBeGreaterThan(0);
    expect(await keysOf(client, prefix)).toEqual([]);
  });

  it('runs a whole cycle: state commits, flows across stage queues, every key in one slot', async () => {
    const prefix = hashTagged();
    const target = clusterConfig(prefix);
    const h = await startEngineHarness({ executor: () => new GatedExecutor(), redis: { prefix, connect: () => createRedisConnection(target, 'worker') } });
    const client = connect(target, 'client');
    try {
      await h.engine.handleEvent(pushEvent());
      const cycle = await h.waitFor('a finished cycle', async () => (await h.listCycles()).find((c) => c.state !== 'running'));
      expect(cycle).toMatchObject({ state: 'succeeded', kind: 'full' });
      expect(cycle.stages.map((s) => [s.stage, s.status])).toEqual([
        ['compose', 'succeeded'],
        ['build', 'succeeded'],
        ['drain', 'succeeded'],
        ['deploy', 'succeeded'],
        ['test-kernel', 'succeeded'],
      ]);

      // The optimistic commit (a two-key Lua script) refuses a stale version on the Cluster too.
      const states = h.engine['r'].states;
      // The record finishes before the scheduler commits the cycle's end: wait for that commit.
      await h.waitFor('the environment at rest', async () => ((await states.load('staging')).state.running === null ? true : null));
      const stored = await states.load('staging');
      expect((await states.commit('staging', stored.version - 1, stored.state, [], null)).outcome).toBe('conflict');
      expect((await states.commit('staging', stored.version, stored.state, [], 'delivery-x')).outcome).toBe('committed');
      expect((await states.commit('staging', stored.version + 1, stored.state, [], 'delivery-x')).outcome).toBe('duplicate');

      const keys = await keysOf(client, prefix);
      expect(keys.length).toBeGreaterThan(10);
      expect(keys.some((k) => k.key.startsWith(`${prefix}:sc:`))).toBe(true);
      expect(keys.some((k) => k.key.startsWith(`${prefix}:stage-deploy:`))).toBe(true);
      expect(new Set(keys.map((k) => k.slot)).size).toBe(1);
      expect(new Set(keys.map((k) => k.node)).size).toBe(1);
    } finally {
      await h.close();
    }
    expect(await keysOf(client, prefix)).toEqual([]);
  }, 20_000);

  it('holds a stage lease and carries a cancellation to every stage worker over Pub/Sub', async () => {
    const prefix = hashTagged();
    const target = clusterConfig(prefix);
    const keys = stagecraftKeys(prefix);
    const client = connect(target, 'client');
    const leases = await StageLeases.start({ redis: client, subscriber: connect(target, 'client'), keys, ttlMs: 2000 });
    try {
      const lease = leases.open({ cycleId: 'staging-1', env: 'staging', stage: 'deploy', jobSignal: undefined });
      expect(await lease.checkCancelled()).toBeNull();
      // The lock and the cancelled flag in one script: one slot, thanks to the hash-tagged prefix.
      expect(await lease.acquire()).toBe('held');
      await connect(target, 'client').publish(keys.cancelChannel(), 'staging-1');
      await waitUntil('the cancel message', () => lease.signal.aborted);
      await lease.close();
      expect(await client.exists(keys.stageLock('deploy', 'staging'))).toBe(0);
    } finally {
      await leases.close();
    }
  });
});
