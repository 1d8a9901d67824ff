/** A size setting that is neither a byte count nor a number with a b/kb/mb/gb unit. */
export class InvalidByteSizeError extends Error {
  override name = this.constructor.name;

  constructor(readonly value: string | number) {
    super(`"${value}" is not a size; write a byte count or a number with a unit, e.g. 512kb or 1mb`);
  }
}
