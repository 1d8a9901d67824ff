/** An event arrived after shutdown began; the webhook is answered 503 so GitHub may redeliver it to another replica. */
export class EventBatcherClosedError extends Error {
  override name = this.constructor.name;

  constructor() {
    super('the ingress is shutting down and no longer accepts webhook events; the delivery can be retried against another replica');
  }
}
