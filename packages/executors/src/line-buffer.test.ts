import { describe, expect, it } from '@jest/globals';
import { LineBuffer } from './line-buffer.js';

function split(chunks: Array<string | Buffer>, maxLineLength?: number): string[] {
  const lines: string[] = [];
  const buffer = new LineBuffer((l) => lines.push(l), maxLineLength);
  for (const chunk of chunks) buffer.push(chunk);
  buffer.flush();
  return lines;
}

const euro = Buffer.from('€', 'utf8'); // three bytes

describe('LineBuffer', () => {
  it.each<[string, Array<string | Buffer>, number | undefined, string[]]>([
    ['whole lines', ['a\nb\n'], undefined, ['a', 'b']],
    ['a line split across chunks', ['ab', 'c\nd', 'e\n'], undefined, ['abc', 'de']],
    ['a last line without newline', ['a\nb'], undefined, ['a', 'b']],
    ['CRLF line ends', ['a\r\nb\r', '\nc\r\n'], undefined, ['a', 'b', 'c']],
    ['empty lines', ['\n\na\n'], undefined, ['', '', 'a']],
    ['a character split between chunks', [Buffer.from('x'), euro.subarray(0, 1), euro.subarray(1), Buffer.from('\n')], undefined, ['x€']],
    ['a complete line over the limit', ['abcdefg\n'], 3, ['abc', 'def', 'g']],
    ['a partial line over the limit', ['abcd', 'efg'], 3, ['abc', 'def', 'g']],
    ['nothing', [], undefined, []],
  ])('splits %s', (_name, chunks, max, expected) => {
    expect(split(chunks, max)).toEqual(expected);
  });
});
