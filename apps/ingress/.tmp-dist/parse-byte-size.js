import { InvalidByteSizeError } from './errors/invalid-byte-size-error.js';
const UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i;
/** "1mb" → 1048576: the units body-parser and express accept (binary multiples), or a plain byte count. */
export function parseByteSize(value) {
    if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= 0)
            return value;
        throw new InvalidByteSizeError(value);
    }
    const match = SIZE.exec(value);
    if (match === null)
        throw new InvalidByteSizeError(value);
    return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}
//# sourceMappingURL=parse-byte-size.js.map