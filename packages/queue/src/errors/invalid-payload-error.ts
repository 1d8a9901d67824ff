/** A job payload that does not match its queue's schema: a producer/consumer version mismatch or a bug. */
export class InvalidPayloadError extends Error {
  override name = this.constructor.name;

  constructor(queue: string, detail: string) {
    super(
      `invalid payload for queue "${queue}": ${detail}. ` +
        'Producer and worker disagree on the job schema: deploy every Stagecraft app from the same version.',
    );
  }
}
