/** A size setting that is neither a byte count nor a number with a b/kb/mb/gb unit. */
export class InvalidByteSizeError extends Error {
    value;
    name = this.constructor.name;
    constructor(value) {
        super(`"${value}" is not a size; write a byte count or a number with a unit, e.g. 512kb or 1mb`);
        this.value = value;
    }
}
//# sourceMappingURL=invalid-byte-size-error.js.map