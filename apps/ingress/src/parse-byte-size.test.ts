import { describe, it, expect } from '@jest/globals';
import { parseByteSize } from './parse-byte-size.js';
import { InvalidByteSizeError } from './errors/invalid-byte-size-error.js';

describe('parseByteSize', () => {
  it.each<[string | number, number]>([
    ['1mb', 1024 * 1024],
    ['1MB', 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1.5mb', 1.5 * 1024 * 1024],
    ['2gb', 2 * 1024 ** 3],
    ['100', 100],
    ['100b', 100],
    [' 64 kb ', 64 * 1024],
    [4096, 4096],
    [0, 0],
  ])('%j → %i bytes', (value, bytes) => {
    expect(parseByteSize(value)).toBe(bytes);
  });

  it.each<[string | number]>([['one mb'], ['1tb'], ['-1kb'], [''], ['mb'], [-5], [1.5]])('refuses %j', (value) => {
    expect(() => parseByteSize(value)).toThrow(InvalidByteSizeError);
  });
});
