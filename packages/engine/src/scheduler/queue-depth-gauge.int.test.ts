import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CatalogQueue, deletePrefixedKeys, QUEUE_NAMES } from '@stagecraft/queue';
import { createMetrics } from '@stagecraft/telemetry';
import { metricSample } from '@stagecraft/telemetry';
import { queueDepthGauge } from './queue-depth-gauge.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const prefix = `sctest-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = QUEUE_NAMES.map((name) => new CatalogQueue(name, { connection: redis, prefix }));
  cleanups.push(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await deletePrefixedKeys(redis, prefix);
    await redis.quit();
  });
  const worker = (name: string, processor: () => Promise<unknown>) => {
    const w = new Worker(name, processor, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix });
    cleanups.push(() => w.close(true).then(() => w.disconnect()));
    return w;
  };
  return { prefix, redis, queues, worker, queue: <N extends (typeof QUEUE_NAMES)[number]>(name: N) => queues.find((q) => q.name === name) as CatalogQueue<N> };
}

describe('queueDepthGauge on real Redis', () => {
  it('reports, on every scrape, the jobs of each catalog queue by state', async () => {
    const { queues, queue, worker } = await setUp();
    const metrics = createMetrics('scheduler');
    queueDepthGauge(metrics, queues.map((q) => q.queue));

    await queue('timers').add('timer', { env: 'staging', cycleId: 'staging-1' });
    await queue('timers').add('timer', { env: 'staging', cycleId: 'staging-2' });
    await queue('cycles').add('cycle', { env: 'staging', cycleId: 'staging-1' }, { delay: 60_000 });
    // One job held active by a worker, one failed for good.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const active = new Promise<void>((r) => (started = r));
    worker('notifications', () => {
      started();
      return held;
    });
    await queue('notifications').add('reaction', { type: 'reaction', key: 'k1', repo: 'acme/app', installationId: null, commentId: 1, content: 'eyes' }, { attempts: 1 });
    const failing = worker('idle-check', async () => {
      throw new Error('boom');
    });
    const failed = new Promise<void>((r) => failing.once('failed', () => r()));
    await queue('idle-check').add('idle-tick', {}, { attempts: 1 });
    await Promise.all([active, failed]);

    const text = await metrics.registry.metrics();
    release();
    const expected: Array<[string, string, number]> = [
      ['timers', 'waiting', 2],
      ['timers', 'delayed', 0],
      ['cycles', 'delayed', 1],
      ['cycles', 'waiting', 0],
      ['notifications', 'active', 1],
      ['idle-check', 'failed', 1],
      ['events', 'waiting', 0],
      ['stage-deploy', 'active', 0],
    ];
    for (const [q, state, count] of expected) {
      expect([q, state, metricSample(text, 'stagecraft_queue_jobs', { queue: q, state, app: 'scheduler' })]).toEqual([q, state, count]);
    }
    // Every catalog queue is reported.
    expect(QUEUE_NAMES.filter((name) => metricSample(text, 'stagecraft_queue_jobs', { queue: name, state: 'failed' }) === undefined)).toEqual([]);
  });

  it.each<[string, () => Promise<{ redis: Redis; close?: () => Promise<void> }>, string]>([
    [
      'has closed the connection',
      async () => {
        const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
        redis.disconnect();
        return { redis };
      },
      'Connection is closed.',
    ],
    [
      'it accepts the connection but never answers',
      async () => {
        // A Redis that hangs: the socket opens, no reply ever comes.
        const sockets: Socket[] = [];
        const server = createServer((socket) => sockets.push(socket));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
        const { port } = server.address() as AddressInfo;
        const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, enableReadyCheck: false });
        const close = async () => {
          for (const socket of sockets) socket.destroy();
          await new Promise((r) => server.close(r));
        };
        return { redis, close };
      },
      'queue depths: Redis did not answer within 100 ms',
    ],
  ])('leaves the depths out and says why when Redis %s; the rest of /metrics still answers', async (_name, connect, message) => {
    const { redis, close } = await connect();
    redis.on('error', () => undefined);
    const queues = QUEUE_NAMES.map((name) => new CatalogQueue(name, { connection: redis, prefix: 'sctest-unreachable' }));
    for (const q of queues) q.queue.on('error', () => undefined);
    cleanups.push(async () => {
      redis.disconnect();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      await close?.();
    });
    const metrics = createMetrics('scheduler');
    metrics.counter('stagecraft_test_total', 'test').inc();
    const errors: string[] = [];
    queueDepthGauge(metrics, queues.map((q) => q.queue), { timeoutMs: 100, onError: (err) => errors.push(err.message) });

    const text = await metrics.registry.metrics();
    expect(metricSample(text, 'stagecraft_queue_jobs', {})).toBeUndefined();
    expect(metricSample(text, 'stagecraft_test_total', {})).toBe(1);
    expect(errors).toEqual([message]);
  });
});
