import { Redis } from 'ioredis';

/** True when a Redis answers PING at the URL within the timeout; one attempt, no retries. */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'stagecraft-cli-ping',
  });
  // Failures are the answer here, not something to log.
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // After a failed connect the client has already ended; disconnecting it again would hold
    // the process open for a while.
    if (redis.status !== 'end') redis.disconnect();
  }
}
