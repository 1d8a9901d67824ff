import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface HeldLock {
  /** Aborted if the lock could not be renewed: someone else may hold it now, so stop. */
  lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * One holder per stage and environment across every process. The cycle state already allows one
 * cycle at a time; this covers a job BullMQ re-runs after its worker was cut off while its command
 * may still be running. The TTL is short and renewed, so a dead holder frees it quickly.
 */
export async function acquireStageLock(
  redis: Redis,
  key: string,
  opts: { ttlMs: number; signal: AbortSignal; pollMs?: number; onWait?: (holder: string) => void },
): Promise<HeldLock | null> {
  const token = `${process.pid}:${randomUUID()}`;
  let waitedOnce = false;
  while (!opts.signal.aborted) {
    if ((await redis.set(key, token, 'PX', opts.ttlMs, 'NX')) === 'OK') break;
    if (!waitedOnce) {
      waitedOnce = true;
      opts.onWait?.((await redis.get(key)) ?? 'unknown');
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
  if (opts.signal.aborted) return null;
  const lost = new AbortController();
  const timer = setInterval(() => {
    redis.eval(RENEW, 1, key, token, opts.ttlMs).then(
      (ok) => {
        if (ok === 0) lost.abort(new Error(`lost the lock ${key}`));
      },
      () => undefined,
    );
  }, Math.max(100, Math.floor(opts.ttlMs / 3)));
  timer.unref();
  return {
    lost: lost.signal,
    release: async () => {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
