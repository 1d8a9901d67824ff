/** The part of an ioredis connection the tally writes through. */
export interface TallyRedis {
  pipeline(): { hincrby(key: string, field: string, increment: number): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
}

export interface IgnoredRepositoryTallyOptions {
  /** The hash: lower-case `owner/name` → webhooks ignored (keys.ignoredRepositories()). */
  key: string;
  /** How long a count waits for others before it is written; 0 = until the current I/O turn ends. */
  maxWaitMs: number;
  /** Checked before each write: while Redis is away the counts wait in memory for the next write. */
  isAvailable?: () => boolean;
  /** A write that failed; its counts are kept for the next one. */
  onError?: (err: unknown) => void;
}

/**
 * Counts webhooks ingress ignored because their repository is not configured, in Redis, so
 * `stagecraft status` and the dashboard can say so. The request never waits for it: counts gather
 * in memory and go out as one pipeline of HINCRBY, one per repository, on the connection events are
 * written through — with the next batch of events (`write()` from the batcher's write) or, when no
 * event is being written, after `maxWaitMs`. A flood of ignored webhooks costs one command per
 * repository per write, not one per webhook.
 */
/** How long counts wait for Redis again after a write found it away or failed. */
export const TALLY_RETRY_MS = 1000;

export class IgnoredRepositoryTally {
  #pending = new Map<string, number>();
  #cancelScheduled: (() => void) | undefined;
  readonly #writing = new Set<Promise<void>>();

  constructor(
    private readonly redis: TallyRedis,
    private readonly options: IgnoredRepositoryTallyOptions,
  ) {}

  /** One more webhook ignored from `repository` (any letter case: GitHub names ignore case). */
  count(repository: string): void {
    const field = repository.toLowerCase();
    this.#pending.set(field, (this.#pending.get(field) ?? 0) + 1);
    this.#cancelScheduled ??= this.#schedule(this.options.maxWaitMs);
  }

  /** Sends what was counted since the last write, if anything; never rejects. */
  write(): Promise<void> {
    this.#cancelScheduled?.();
    this.#cancelScheduled = undefined;
    if (this.#pending.size === 0) return Promise.resolve();
    if (this.options.isAvailable && !this.options.isAvailable()) {
      this.#retryLater();
      return Promise.resolve();
    }
    const counts = this.#pending;
    this.#pending = new Map();
    const writing = this.#send(counts);
    this.#writing.add(writing);
    void writing.finally(() => this.#writing.delete(writing));
    return writing;
  }

  /** Writes what is pending and waits for every write under way (at shutdown). */
  async close(): Promise<void> {
    await this.write();
    await Promise.all(this.#writing);
    // Whatever Redis did not take by now is given up with the process.
    this.#cancelScheduled?.();
    this.#cancelScheduled = undefined;
  }

  async #send(counts: Map<string, number>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [field, n] of counts) pipeline.hincrby(this.options.key, field, n);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err !== null)?.[0];
      // Redis answered but refused the command (the key is not a hash): counting again would fail the same way.
      if (failed) this.options.onError?.(failed);
    } catch (err) {
      // The connection failed; whether Redis applied the increments is unknown, and a count a little
      // high after an outage says more than counts dropped, so they wait for the next write.
      for (const [field, n] of counts) this.#pending.set(field, (this.#pending.get(field) ?? 0) + n);
      this.#retryLater();
      this.options.onError?.(err);
    }
  }

  /** Counts left pending try again on their own, without keeping the process alive for it. */
  #retryLater(): void {
    if (this.#cancelScheduled) return;
    const timer = setTimeout(() => void this.write(), TALLY_RETRY_MS);
    timer.unref();
    this.#cancelScheduled = () => clearTimeout(timer);
  }

  #schedule(waitMs: number): () => void {
    const write = () => void this.write();
    if (waitMs > 0) {
      const timer = setTimeout(write, waitMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(write);
    return () => clearImmediate(immediate);
  }
}
