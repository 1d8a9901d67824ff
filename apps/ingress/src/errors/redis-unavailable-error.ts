/** The events queue cannot be written right now; the webhook is answered 503 and GitHub may redeliver. */
export class RedisUnavailableError extends Error {
  override name = this.constructor.name;

  constructor(detail: string) {
    super(`Redis is not available to store webhook events (${detail}); check that Redis is up and that redis.url points at it`);
  }
}
