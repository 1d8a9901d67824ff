/** A request stopped because the stage was cancelled (or handed back); the stage reports cancelled, not failed. */
export class RequestCancelledError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super(`${method} ${url} stopped: the stage was cancelled`);
  }
}
