/** Redis did not confirm a batch of events in time; the batch may still land, and a redelivery is deduplicated by its id. */
export class EnqueueTimeoutError extends Error {
    timeoutMs;
    name = this.constructor.name;
    constructor(timeoutMs) {
        super(`Redis did not confirm the webhook events within ${timeoutMs} ms; check Redis latency and load`);
        this.timeoutMs = timeoutMs;
    }
}
//# sourceMappingURL=enqueue-timeout-error.js.map