import { EnqueueTimeoutError } from './errors/enqueue-timeout-error.js';
import { EventBatcherClosedError } from './errors/event-batcher-closed-error.js';
import { RedisUnavailableError } from './errors/redis-unavailable-error.js';
/**
 * Gathers events from concurrent requests and writes each gathering with one `addBulk`, so they
 * share one Redis round trip. An `add` resolves only once its batch is in Redis and rejects when
 * the write fails. The job id is the event id, so an event already stored is not stored again.
 */
export class EventBatcher {
    queue;
    options;
    #pending = [];
    /** Cancels the scheduled write of the pending batch, if one is scheduled. */
    #cancelScheduled;
    #writing = new Set();
    #closed = false;
    constructor(queue, options) {
        this.queue = queue;
        this.options = options;
    }
    add(event) {
        if (this.#closed)
            return Promise.reject(new EventBatcherClosedError());
        return new Promise((resolve, reject) => {
            this.#pending.push({ event, resolve, reject });
            if (this.#pending.length >= this.options.maxSize)
                this.#writePending();
            else
                this.#cancelScheduled ??= this.#schedule();
        });
    }
    /** Writes what is pending now and waits for every write under way. */
    async flush() {
        this.#writePending();
        await Promise.all(this.#writing);
    }
    /** Refuses further events, then flushes. */
    async close() {
        this.#closed = true;
        await this.flush();
    }
    #schedule() {
        const write = () => this.#writePending();
        if (this.options.maxWaitMs > 0) {
            const timer = setTimeout(write, this.options.maxWaitMs);
            return () => clearTimeout(timer);
        }
        const immediate = setImmediate(write);
        return () => clearImmediate(immediate);
    }
    #writePending() {
        this.#cancelScheduled?.();
        this.#cancelScheduled = undefined;
        if (this.#pending.length === 0)
            return;
        const batch = this.#pending;
        this.#pending = [];
        const writing = this.#write(batch);
        this.#writing.add(writing);
        void writing.finally(() => this.#writing.delete(writing));
    }
    async #write(batch) {
        try {
            if (this.options.isAvailable && !this.options.isAvailable()) {
                throw new RedisUnavailableError('the connection is not ready');
            }
            this.options.onWrite?.(batch.length);
            await withTimeout(this.queue.addBulk(batch.map(({ event }) => ({ name: event.kind, data: event, opts: { jobId: event.id } }))), this.options.timeoutMs);
            for (const pending of batch)
                pending.resolve();
        }
        catch (err) {
            for (const pending of batch)
                pending.reject(err);
        }
    }
}
async function withTimeout(work, timeoutMs) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new EnqueueTimeoutError(timeoutMs)), timeoutMs);
    });
    try {
        return await Promise.race([work, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=event-batcher.js.map