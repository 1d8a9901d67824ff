/** Redis did not confirm a batch of events in time; the batch may still land, and a redelivery is deduplicated by its id. */
export declare class EnqueueTimeoutError extends Error {
    readonly timeoutMs: number;
    name: string;
    constructor(timeoutMs: number);
}
