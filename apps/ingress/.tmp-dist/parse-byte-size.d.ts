/** "1mb" → 1048576: the units body-parser and express accept (binary multiples), or a plain byte count. */
export declare function parseByteSize(value: string | number): number;
