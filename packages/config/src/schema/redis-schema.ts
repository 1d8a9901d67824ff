import { z } from 'zod';
import { secretSchema, type SecretContext } from './secret-schema.js';

const PREFIX_CHARS = 'A-Za-z0-9:_.-';
/** Plain (`stagecraft`) or with one hash tag in braces (`{stagecraft}`, `{sc}:prod`). */
const PREFIX_PATTERN = new RegExp(`^(?:[A-Za-z0-9][${PREFIX_CHARS}]*|[${PREFIX_CHARS}]*\\{[${PREFIX_CHARS}]+\\}[${PREFIX_CHARS}]*)$`);
/** What Redis Cluster hashes when a key has it: the text between the first "{" and the next "}". */
const HASH_TAG = /^[^{}]*\{[^{}]+\}/;

/** `host:port`, or `[ipv6]:port`. */
const NODE_PATTERN = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

export interface RedisNodeAddress {
  host: string;
  port: number;
}

const nodeSchema = z
  .string()
  .regex(NODE_PATTERN, 'expected a node address like "redis-0.redis:6379"')
  .transform((text): RedisNodeAddress => {
    const [, ipv6, host, port] = NODE_PATTERN.exec(text)!;
    return { host: (ipv6 ?? host)!, port: Number(port) };
  });

const nodeListSchema = z.array(nodeSchema).min(1, 'expected at least one node address like "redis-0.redis:6379"');

/**
 * Where Redis is. A single server by `url` (the default); or a Sentinel-managed primary
 * (`sentinel`); or a Redis Cluster (`cluster`), whose keys must all share one hash slot, so the
 * prefix must carry a hash tag in braces. With `sentinel` or `cluster`, `url` is not used and the
 * credentials come from `username`/`password` (and `tls`).
 */
export function redisSchema(secrets: SecretContext) {
  return z
    .strictObject({
      url: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'expected a Redis URL like "redis://127.0.0.1:6379"')
        .default('redis://127.0.0.1:6379'),
      prefix: z
        .string()
        .regex(PREFIX_PATTERN, 'expected a key prefix of letters, digits and ":_.-", like "stagecraft", or with one hash tag in braces, like "{stagecraft}"')
        .default('stagecraft'),
      sentinel: z
        .strictObject({
          /** The primary's name in the Sentinels' config (`sentinel monitor <name> …`). */
          name: z.string().min(1, 'expected the name the Sentinels monitor the primary under, like "mymaster"'),
          nodes: nodeListSchema,
          /** The Sentinels' own password, when they require one (`requirepass` on the Sentinels). */
          password: secretSchema(secrets).optional(),
        })
        .optional(),
      cluster: z.strictObject({ nodes: nodeListSchema }).optional(),
      username: z.string().min(1, 'expected an ACL user name').optional(),
      /** The data nodes' password (with `url`, a password in the URL wins). */
      password: secretSchema(secrets).optional(),
      /** TLS to the data nodes and Sentinels (with `url`, use `rediss://`). */
      tls: z.boolean().optional(),
    })
    .superRefine((redis, ctx) => {
      if (redis.sentinel !== undefined && redis.cluster !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['cluster'],
          message: 'redis.sentinel and redis.cluster cannot both be set: a Sentinel-managed primary and a Redis Cluster are different deployments, keep the one you run',
        });
      }
      if (redis.cluster !== undefined && !HASH_TAG.test(redis.prefix)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prefix'],
          message: `with redis.cluster every key must hash to one slot (queues, flows and Stagecraft's scripts touch several keys at once): put the prefix in braces, like "{${redis.prefix.replace(/[{}]/g, '')}}"`,
        });
      }
    });
}
