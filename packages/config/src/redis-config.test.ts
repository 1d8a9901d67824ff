import { describe, expect, it } from '@jest/globals';
import { parseConfig } from './parse-config.js';
import { problemsOf } from './test-support/problems-of.js';

const FILE = 'stagecraft.yaml';

describe('redis: single server, Sentinel, Cluster', () => {
  it.each([
    ['a plain prefix', { prefix: 'stagecraft' }, 'stagecraft'],
    ['a hash-tagged prefix', { prefix: '{stagecraft}' }, '{stagecraft}'],
    ['a hash tag inside the prefix', { prefix: 'prod:{sc}:x' }, 'prod:{sc}:x'],
  ])('accepts %s', (_name, redis, prefix) => {
    expect(parseConfig({ redis }, FILE, {}).redis.prefix).toBe(prefix);
  });

  it('reads a Sentinel-managed primary with its passwords from env', () => {
    const { redis } = parseConfig(
      {
        redis: {
          sentinel: { name: 'mymaster', nodes: ['sentinel-0.sentinel:26379', '[::1]:26380'], password: { env: 'SENTINEL_PASSWORD' } },
          password: { env: 'REDIS_PASSWORD' },
          username: 'stagecraft',
          tls: true,
        },
      },
      FILE,
      { SENTINEL_PASSWORD: 's3', REDIS_PASSWORD: 'r3' },
    );
    expect(redis.sentinel?.name).toBe('mymaster');
    expect(redis.sentinel?.nodes).toEqual([
      { host: 'sentinel-0.sentinel', port: 26379 },
      { host: '::1', port: 26380 },
    ]);
    expect(redis.sentinel?.password?.reveal()).toBe('s3');
    expect(redis.password?.reveal()).toBe('r3');
    expect([redis.username, redis.tls]).toEqual(['stagecraft', true]);
  });

  it('reads a Redis Cluster, nodes also from a comma list in env', () => {
    const fromYaml = parseConfig({ redis: { prefix: '{sc}', cluster: { nodes: ['10.0.0.1:6379'] } } }, FILE, {});
    expect(fromYaml.redis.cluster?.nodes).toEqual([{ host: '10.0.0.1', port: 6379 }]);
    const fromEnv = parseConfig({}, FILE, {
      STAGECRAFT_REDIS__PREFIX: '{sc}',
      STAGECRAFT_REDIS__CLUSTER__NODES: 'redis-0.redis:6379, redis-1.redis:6379',
    });
    expect(fromEnv.redis.cluster?.nodes).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: 'redis-1.redis', port: 6379 },
    ]);
  });

  it.each([
    [
      'a Cluster with a prefix that is not hash-tagged',
      { prefix: 'stagecraft', cluster: { nodes: ['redis-0:6379'] } },
      {},
      [
        `${FILE}: redis.prefix: with redis.cluster every key must hash to one slot (queues, flows and Stagecraft's scripts touch several keys at once): put the prefix in braces, like "{stagecraft}"`,
      ],
    ],
    [
      'a Cluster with the default prefix',
      { cluster: { nodes: ['redis-0:6379'] } },
      {},
      [
        `${FILE}: redis.prefix: with redis.cluster every key must hash to one slot (queues, flows and Stagecraft's scripts touch several keys at once): put the prefix in braces, like "{stagecraft}"`,
      ],
    ],
    [
      'an empty hash tag',
      { prefix: '{}' },
      {},
      [`${FILE}: redis.prefix: expected a key prefix of letters, digits and ":_.-", like "stagecraft", or with one hash tag in braces, like "{stagecraft}"`],
    ],
    [
      'two hash tags',
      { prefix: '{a}{b}' },
      {},
      [`${FILE}: redis.prefix: expected a key prefix of letters, digits and ":_.-", like "stagecraft", or with one hash tag in braces, like "{stagecraft}"`],
    ],
    [
      'both Sentinel and Cluster',
      { prefix: '{sc}', sentinel: { name: 'm', nodes: ['s:26379'] }, cluster: { nodes: ['c:6379'] } },
      {},
      [
        `${FILE}: redis.cluster: redis.sentinel and redis.cluster cannot both be set: a Sentinel-managed primary and a Redis Cluster are different deployments, keep the one you run`,
      ],
    ],
    ['a node without a port', { prefix: '{sc}', cluster: { nodes: ['redis-0'] } }, {}, [`${FILE}: redis.cluster.nodes.0: expected a node address like "redis-0.redis:6379"`]],
    ['no nodes', { prefix: '{sc}', cluster: { nodes: [] } }, {}, [`${FILE}: redis.cluster.nodes: expected at least one node address like "redis-0.redis:6379"`]],
    [
      'a Sentinel without a primary name',
      { sentinel: { nodes: ['s:26379'] } },
      {},
      [`${FILE}: redis.sentinel.name: required, but missing`],
    ],
    [
      'a literal password',
      { password: 'hunter2' },
      {},
      [
        `${FILE}: redis.password: secrets cannot be written into the config: use { env: NAME } to read it from an environment variable or { file: PATH } to read it from a file`,
      ],
    ],
  ])('rejects %s, naming the field', (_name, redis, env, problems) => {
    expect(problemsOf(() => parseConfig({ redis }, FILE, env))).toEqual(problems);
  });
});
