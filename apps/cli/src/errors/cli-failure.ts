/**
 * Something the operator must fix before the command can work (Redis away, secret missing, API
 * refused). The message is the one line printed; no stack trace.
 */
export class CliFailure extends Error {
  override name = this.constructor.name;

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
