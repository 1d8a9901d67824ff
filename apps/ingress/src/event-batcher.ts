import type { JobsOptions } from 'bullmq';
import type { NormalizedEvent } from '@stagecraft/queue';
import { EnqueueTimeoutError } from './errors/enqueue-timeout-error.js';
import { EventBatcherClosedError } from './errors/event-batcher-closed-error.js';
import { RedisUnavailableError } from './errors/redis-unavailable-error.js';

/** The part of CatalogQueue<'events'> the batcher writes through. */
export interface BulkEventQueue {
  addBulk(jobs: Array<{ name: string; data: NormalizedEvent; opts?: JobsOptions }>): Promise<unknown>;
}

export interface EventBatcherOptions {
  /** A batch is written as soon as it holds this many events. */
  maxSize: number;
  /** How long the first event of a batch waits for others; 0 = until the current I/O turn ends. */
  maxWaitMs: number;
  /** A write Redis has not confirmed by then fails its callers (the jobs may still land). */
  timeoutMs: number;
  /** Checked before each write, so a batch fails at once instead of waiting for a Redis that is away. */
  isAvailable?: () => boolean;
  /** Called with the size of each batch handed to addBulk. */
  onWrite?: (size: number) => void;
}

interface PendingEvent {
  event: NormalizedEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers events from concurrent requests and writes each gathering with one `addBulk`, so they
 * share one Redis round trip. An `add` resolves only once its batch is in Redis and rejects when
 * the write fails. The job id is the event id, so an event already stored is not stored again.
 */
export class EventBatcher {
  #pending: PendingEvent[] = [];
  /** Cancels the scheduled write of the pending batch, if one is scheduled. */
  #cancelScheduled: (() => void) | undefined;
  readonly #writing = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly queue: BulkEventQueue,
    private readonly options: EventBatcherOptions,
  ) {}

  add(event: NormalizedEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new EventBatcherClosedError());
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      if (this.#pending.length >= this.options.maxSize) this.#writePending();
      else this.#cancelScheduled ??= this.#schedule();
    });
  }

  /** Writes what is pending now and waits for every write under way. */
  async flush(): Promise<void> {
    this.#writePending();
    await Promise.all(this.#writing);
  }

  /** Refuses further events, then flushes. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #schedule(): () => void {
    const write = () => this.#writePending();
    if (this.options.maxWaitMs > 0) {
      const timer = setTimeout(write, this.options.maxWaitMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(write);
    return () => clearImmediate(immediate);
  }

  #writePending(): void {
    this.#cancelScheduled?.();
    this.#cancelScheduled = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const writing = this.#write(batch);
    this.#writing.add(writing);
    void writing.finally(() => this.#writing.delete(writing));
  }

  async #write(batch: PendingEvent[]): Promise<void> {
    try {
      if (this.options.isAvailable && !this.options.isAvailable()) {
        throw new RedisUnavailableError('the connection is not ready');
      }
      this.options.onWrite?.(batch.length);
      await withTimeout(
        this.queue.addBulk(batch.map(({ event }) => ({ name: event.kind, data: event, opts: { jobId: event.id } }))),
        this.options.timeoutMs,
      );
      for (const pending of batch) pending.resolve();
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EnqueueTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
