import type { JobsOptions } from 'bullmq';
import type { NormalizedEvent } from '@stagecraft/queue';
/** The part of CatalogQueue<'events'> the batcher writes through. */
export interface BulkEventQueue {
    addBulk(jobs: Array<{
        name: string;
        data: NormalizedEvent;
        opts?: JobsOptions;
    }>): Promise<unknown>;
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
/**
 * Gathers events from concurrent requests and writes each gathering with one `addBulk`, so they
 * share one Redis round trip. An `add` resolves only once its batch is in Redis and rejects when
 * the write fails. The job id is the event id, so an event already stored is not stored again.
 */
export declare class EventBatcher {
    #private;
    private readonly queue;
    private readonly options;
    constructor(queue: BulkEventQueue, options: EventBatcherOptions);
    add(event: NormalizedEvent): Promise<void>;
    /** Writes what is pending now and waits for every write under way. */
    flush(): Promise<void>;
    /** Refuses further events, then flushes. */
    close(): Promise<void>;
}
