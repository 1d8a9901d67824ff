export class InvalidDurationError extends Error {
  override name = this.constructor.name;

  constructor(readonly input: unknown) {
    super(`expected a duration like "5m", got ${typeof input === 'string' ? JSON.stringify(input) : String(input)}`);
  }
}
