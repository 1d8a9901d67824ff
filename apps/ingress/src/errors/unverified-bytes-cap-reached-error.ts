/** Bodies not yet verified already hold apps.ingress.maxUnverifiedBytes; the webhook is answered 503 and may be redelivered. */
export class UnverifiedBytesCapReachedError extends Error {
  override name = this.constructor.name;

  constructor(readonly limitBytes: number) {
    super(
      `bodies not yet verified already hold ${limitBytes} bytes (apps.ingress.maxUnverifiedBytes); slow or stalled clients fill it until apps.ingress.requestTimeout cuts them off — raise the cap if real deliveries hit it`,
    );
  }
}
