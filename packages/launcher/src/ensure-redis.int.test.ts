import { describe, expect, it } from '@jest/globals';
import { ensureRedis } from './ensure-redis.js';
import { RedisUnavailableError } from './errors/redis-unavailable-error.js';
import { freePort } from './free-port.js';
import { pingRedis } from './ping-redis.js';
import { findExecutable } from './find-executable.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('ensureRedis', () => {
  it('uses the Redis that answers and starts nothing', async () => {
    const lines: string[] = [];
    const handle = await ensureRedis(REDIS_URL, { log: (l) => lines.push(l) });
    expect(handle.privateServer).toBeNull();
    expect(lines).toEqual([]);
    await handle.stop();
    expect(await pingRedis(REDIS_URL)).toBe(true);
  });

  const withRedisServer = findExecutable('redis-server') !== null ? it : it.skip;
  withRedisServer('starts a private redis-server on an unused local port and stops it again', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const lines: string[] = [];
    const handle = await ensureRedis(url, { log: (l) => lines.push(l) });
    try {
      expect(handle.privateServer).toMatchObject({ host: '127.0.0.1', port });
      expect(lines).toEqual([`started a private redis-server on 127.0.0.1:${port} (stops with stagecraft)`]);
      expect(await pingRedis(url)).toBe(true);
    } finally {
      await handle.stop();
    }
    expect(await pingRedis(url)).toBe(false);
  }, 20_000);

  it('says in one line what to do when nothing answers and redis-server is not on PATH', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const attempt = ensureRedis(url, { path: '' });
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(
      new RedisUnavailableError(url, 'not-installed').message,
    );
    expect(new RedisUnavailableError(url, 'not-installed').message).toBe(
      `Redis is not reachable at ${url} and redis-server is not installed: install Redis (apt-get install redis-server / brew install redis) or set REDIS_URL`,
    );
  });

  it('does not try to start Redis for a remote URL, and hides its password', async () => {
    const attempt = ensureRedis('redis://:hunter2@redis.invalid:6379', { connectTimeoutMs: 500 });
    await expect(attempt).rejects.toThrow('Redis is not reachable at redis://:***@redis.invalid:6379: start it, or set REDIS_URL to a Redis that is running');
  });
});
