/** The events queue cannot be written right now; the webhook is answered 503 and GitHub may redeliver. */
export declare class RedisUnavailableError extends Error {
    name: string;
    constructor(detail: string);
}
