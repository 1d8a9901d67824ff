/**
 * Something the operator must fix before the stack can start (Redis away, secret missing, an app
 * not built or never healthy). The message is the one line to show; no stack trace.
 */
export class LaunchFailure extends Error {
  override name = this.constructor.name;

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
