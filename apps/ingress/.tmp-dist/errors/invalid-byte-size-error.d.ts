/** A size setting that is neither a byte count nor a number with a b/kb/mb/gb unit. */
export declare class InvalidByteSizeError extends Error {
    readonly value: string | number;
    name: string;
    constructor(value: string | number);
}
