import { LaunchFailure } from './launch-failure.js';

/** Nothing answers at the Redis URL and no private redis-server can be started for it. */
export class RedisUnavailableError extends LaunchFailure {
  override name = this.constructor.name;

  constructor(
    readonly url: string,
    why: 'not-installed' | 'remote',
  ) {
    super(
      why === 'not-installed'
        ? `Redis is not reachable at ${url} and redis-server is not installed: install Redis (apt-get install redis-server / brew install redis) or set REDIS_URL`
        : `Redis is not reachable at ${url}: start it, or set REDIS_URL to a Redis that is running`,
    );
  }
}
