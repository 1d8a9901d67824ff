/** An event arrived after shutdown began; the webhook is answered 503 so GitHub may redeliver it to another replica. */
export declare class EventBatcherClosedError extends Error {
    name: string;
    constructor();
}
