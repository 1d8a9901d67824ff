import type { StagecraftConfig } from '@stagecraft/config';
import type { RedisTarget } from './redis-connection.js';

/** The `redis` config section as the connection factory takes it, secrets revealed. */
export function redisTargetOf(redis: StagecraftConfig['redis']): RedisTarget {
  const reveal = (secret: { isSet: boolean; reveal(): string } | undefined) => (secret?.isSet ? secret.reveal() : undefined);
  return {
    url: redis.url,
    ...(redis.sentinel
      ? {
          sentinel: {
            name: redis.sentinel.name,
            nodes: redis.sentinel.nodes,
            ...(reveal(redis.sentinel.password) !== undefined ? { password: reveal(redis.sentinel.password)! } : {}),
          },
        }
      : {}),
    ...(redis.cluster ? { cluster: { nodes: redis.cluster.nodes } } : {}),
    username: redis.username,
    password: reveal(redis.password),
    tls: redis.tls,
  };
}
