import type { Redis } from 'ioredis';
import type { Logger } from '@stagecraft/telemetry';

/**
 * Counts one wrong credential from a client address; the first failure starts the address's window.
 * KEYS[1]: the address's failure counter. ARGV[1]: the window in milliseconds. Returns the count.
 * INCR and PEXPIRE run as one step, so no counter outlives its window (one found without an expiry,
 * which nothing here leaves behind, gets one too).
 */
const COUNT_FAILURE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count`;

/**
 * Wrong dashboard tokens (login form and bearer API) per client address, in Redis so every replica
 * shares the count. After `limit` failures the address is refused until its window ends, whatever it
 * sends, so guessing stops there; nobody's success resets the count.
 */
export class AuthFailureLimit {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (address: string) => string,
    private readonly opts: { limit: number; windowMs: number; logger: Logger },
  ) {}

  /** Seconds until `address` may try again, or null when it may now. */
  async retryAfter(address: string): Promise<number | null> {
    const key = this.keyOf(address);
    const replies = await this.redis.multi().get(key).pttl(key).exec();
    const [countReply, ttlReply] = replies ?? [];
    if (countReply?.[0] || ttlReply?.[0]) throw countReply?.[0] ?? ttlReply?.[0];
    const count = Number(countReply?.[1] ?? 0);
    if (count < this.opts.limit) return null;
    const ttl = Number(ttlReply?.[1]);
    return Math.max(1, Math.ceil((ttl > 0 ? ttl : this.opts.windowMs) / 1000));
  }

  /** Records one wrong credential from `address`. */
  async recordFailure(address: string): Promise<void> {
    const count = Number(await this.redis.eval(COUNT_FAILURE, 1, this.keyOf(address), String(this.opts.windowMs)));
    if (count === this.opts.limit) {
      this.opts.logger.warn(
        { ip: address, failures: count, windowMs: this.opts.windowMs },
        'dashboard: too many wrong tokens from one address, refusing it until its window ends (behind a proxy, set apps.dashboard.trustProxy so clients do not share its address)',
      );
    }
  }
}
