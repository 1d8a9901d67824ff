import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * - `worker`: blocking commands; BullMQ requires maxRetriesPerRequest null.
 * - `producer`: fails fast while Redis is away (no offline queue), so ingress can answer 503
 *   instead of holding a request whose event may never be written.
 * - `client`: ordinary commands with a bounded retry.
 */
export type ConnectionPurpose = 'worker' | 'producer' | 'client';

export interface RedisNode {
  host: string;
  port: number;
}

/** Where Redis is: a URL (one server), a Sentinel-managed primary, or a Redis Cluster. */
export interface RedisTarget {
  url: string;
  sentinel?: { name: string; nodes: RedisNode[]; password?: string } | undefined;
  cluster?: { nodes: RedisNode[] } | undefined;
  username?: string | undefined;
  password?: string | undefined;
  tls?: boolean | undefined;
}

const PURPOSE_OPTIONS: Record<ConnectionPurpose, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  client: { maxRetriesPerRequest: 3 },
};

const retryStrategy = (times: number) => Math.min(times * 200, 2000);

/**
 * A connection for one purpose. On a Redis Cluster this is an ioredis `Cluster`, typed as `Redis`
 * because it takes the same commands: every key Stagecraft and BullMQ touch together shares the
 * prefix's hash tag, so MULTI, Lua scripts and flows stay in one slot. The one whole-keyspace
 * operation, SCAN, must visit every primary: see `redisNodesToScan`.
 */
export function createRedisConnection(target: string | RedisTarget, purpose: ConnectionPurpose, extra: RedisOptions = {}): Redis {
  const where: RedisTarget = typeof target === 'string' ? { url: target } : target;
  const auth: RedisOptions = {
    ...(where.username !== undefined ? { username: where.username } : {}),
    ...(where.password !== undefined ? { password: where.password } : {}),
  };
  const options: RedisOptions = {
    connectionName: `stagecraft-${purpose}`,
    retryStrategy,
    ...PURPOSE_OPTIONS[purpose],
    ...extra,
  };
  if (where.cluster) {
    const { enableOfflineQueue, ...perNode } = options;
    const clusterOptions: ClusterOptions = {
      // A slot's commands go to its primary: replicas may lag behind a job's state.
      scaleReads: 'master',
      clusterRetryStrategy: retryStrategy,
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      redisOptions: { ...perNode, ...auth, ...(where.tls ? { tls: {} } : {}) },
    };
    return new Cluster(where.cluster.nodes, clusterOptions) as unknown as Redis;
  }
  if (where.sentinel) {
    return new Redis({
      ...options,
      ...auth,
      name: where.sentinel.name,
      sentinels: where.sentinel.nodes,
      ...(where.sentinel.password !== undefined ? { sentinelPassword: where.sentinel.password } : {}),
      ...(where.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    });
  }
  return new Redis(where.url, { ...auth, ...options });
}

/** True for a Redis Cluster connection made by createRedisConnection. */
export function isRedisCluster(redis: Redis): boolean {
  return (redis as unknown as { isCluster?: boolean }).isCluster === true;
}

/**
 * The servers a key scan must visit: every primary of a Cluster, else the one server. A Cluster
 * knows its primaries only once it has loaded the slot map, so this waits for it to be ready.
 */
export async function redisNodesToScan(redis: Redis): Promise<Redis[]> {
  if (!isRedisCluster(redis)) return [redis];
  const cluster = redis as unknown as Cluster;
  if (cluster.status === 'wait') await cluster.connect();
  if (cluster.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const onEnd = () => reject(new Error('the Redis Cluster connection closed before it was ready'));
      cluster.once('ready', () => {
        cluster.off('end', onEnd);
        resolve();
      });
      cluster.once('end', onEnd);
    });
  }
  return cluster.nodes('master');
}
