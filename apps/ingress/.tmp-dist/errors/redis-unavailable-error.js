/** The events queue cannot be written right now; the webhook is answered 503 and GitHub may redeliver. */
export class RedisUnavailableError extends Error {
    name = this.constructor.name;
    constructor(detail) {
        super(`Redis is not available to store webhook events (${detail}); check that Redis is up and that redis.url points at it`);
    }
}
//# sourceMappingURL=redis-unavailable-error.js.map