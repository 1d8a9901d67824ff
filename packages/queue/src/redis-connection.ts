import { Redis, type RedisOptions } from 'ioredis';

/**
 * - `worker`: blocking commands; BullMQ requires maxRetriesPerRequest null.
 * - `producer`: fails fast while Redis is away (no offline queue), so ingress can answer 503
 *   instead of holding a request whose event may never be written.
 * - `client`: ordinary commands with a bounded retry.
 */
export type ConnectionPurpose = 'worker' | 'producer' | 'client';

export function createRedisConnection(url: string, purpose: ConnectionPurpose, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectionName: `stagecraft-${purpose}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  };
  switch (purpose) {
    case 'worker':
      return new Redis(url, { ...common, maxRetriesPerRequest: null });
    case 'producer':
      return new Redis(url, { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    case 'client':
      return new Redis(url, { ...common, maxRetriesPerRequest: 3 });
  }
}
