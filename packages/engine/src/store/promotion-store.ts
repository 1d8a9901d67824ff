import type { Redis } from 'ioredis';
import type { PromotionRequest } from '@stagecraft/policy';
import type { StagecraftKeys } from '@stagecraft/queue';

/**
 * Compare-and-set of one request.
 * KEYS[1]: the request's hash (fields `request`: JSON, `version`: a counter).
 * ARGV[1]: the version the caller read; ARGV[2]: the new request JSON.
 * Returns the new version, or -1 when another writer changed the request since it was read.
 */
const COMPARE_AND_SET = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
redis.call('HSET', KEYS[1], 'request', ARGV[2], 'version', current + 1)
return current + 1
`;

/**
 * Frees an environment's active slot only if this request still holds it.
 * KEYS[1]: the environment's active key; ARGV[1]: the request id. Returns 1 when freed.
 */
const RELEASE_ACTIVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const MAX_ATTEMPTS = 20;

/** Promotion requests; every change goes through `update`, atomic per request. */
export class PromotionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StagecraftKeys,
  ) {}

  async nextId(env: string): Promise<string> {
    return `${env}-p${await this.redis.incr(this.keys.promotionSeq())}`;
  }

  async create(request: PromotionRequest): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.promotion(request.id), 'request', JSON.stringify(request), 'version', 1)
      .zadd(this.keys.promotionIndex(request.env), request.requestedAt, request.id)
      .exec();
  }

  async get(id: string): Promise<PromotionRequest | null> {
    const json = await this.redis.hget(this.keys.promotion(id), 'request');
    return json ? (JSON.parse(json) as PromotionRequest) : null;
  }

  async list(env: string, limit = 50): Promise<PromotionRequest[]> {
    const ids = await this.redis.zrevrange(this.keys.promotionIndex(env), 0, limit - 1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((r): r is PromotionRequest => r !== null);
  }

  /**
   * Applies `change` to the stored request atomically: read, change, compare-and-set, retried when
   * another writer got there first. `change` returns null to leave the request as it is.
   */
  async update<T>(id: string, change: (request: PromotionRequest) => { next: PromotionRequest | null; result: T }): Promise<{ request: PromotionRequest; result: T } | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [json, version] = await this.redis.hmget(this.keys.promotion(id), 'request', 'version');
      if (!json) return null;
      const { next, result } = change(JSON.parse(json) as PromotionRequest);
      if (!next) return { request: JSON.parse(json) as PromotionRequest, result };
      const written = (await this.redis.eval(COMPARE_AND_SET, 1, this.keys.promotion(id), version ?? '0', JSON.stringify(next))) as number;
      if (written !== -1) return { request: next, result };
    }
    throw new Error(`promotion request ${id} kept changing under ${MAX_ATTEMPTS} attempts to update it; try again`);
  }

  /** Takes the environment for this request's cycle (one at a time); false when another holds it. */
  async takeActive(env: string, requestId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.promotionActive(env), requestId, 'NX')) === 'OK';
  }

  async active(env: string): Promise<string | null> {
    return this.redis.get(this.keys.promotionActive(env));
  }

  async releaseActive(env: string, requestId: string): Promise<void> {
    await this.redis.eval(RELEASE_ACTIVE, 1, this.keys.promotionActive(env), requestId);
  }
}
