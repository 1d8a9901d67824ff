import { describe, expect, it } from '@jest/globals';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it.each([
    [['one\ntwo\n'], ['one', 'two']],
    [['on', 'e\ntw', 'o\n'], ['one', 'two']],
    [['windows\r\n'], ['windows']],
    [['\n\n'], ['', '']],
    [['no newline at the end'], ['no newline at the end']],
  ])('%j → %j', (chunks, lines) => {
    const seen: string[] = [];
    const splitter = new LineSplitter((l) => seen.push(l));
    for (const c of chunks) splitter.push(Buffer.from(c));
    splitter.flush();
    expect(seen).toEqual(lines);
  });
});
