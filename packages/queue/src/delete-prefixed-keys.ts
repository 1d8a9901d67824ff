import type { Redis } from 'ioredis';
import { isRedisCluster, redisNodesToScan } from './redis-connection.js';

/**
 * Removes every key under `prefix:` — queues and Stagecraft's own records alike. On a Redis
 * Cluster each primary is scanned (SCAN only sees the node it runs on) and keys are deleted one by
 * one, since a multi-key DEL must not span slots.
 */
export async function deletePrefixedKeys(redis: Redis, prefix: string): Promise<number> {
  const perKey = isRedisCluster(redis);
  let deleted = 0;
  for (const node of await redisNodesToScan(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      deleted += perKey ? (await Promise.all(keys.map((key) => node.del(key)))).reduce((a, b) => a + b, 0) : await node.del(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}

/** A hash-tagged prefix like `{sc}` has no glob characters, but `[`, `*`, `?` and `\` would be. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
