import { describe, expect, it } from '@jest/globals';
import { LineSplitter } from './line-splitter.js';

function split(chunks: Array<string | Uint8Array>, maxLineLength?: number): string[] {
  const splitter = new LineSplitter(maxLineLength !== undefined ? { maxLineLength } : {});
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const euro = bytes('€'); // three bytes
const emoji = bytes('🚀'); // four bytes: F0 9F 9A 80

describe('LineSplitter', () => {
  it.each<[string, Array<string | Uint8Array>, number | undefined, string[]]>([
    ['whole lines', ['a\nb\n'], undefined, ['a', 'b']],
    ['a line split across chunks', ['ab', 'c\nd', 'e\n'], undefined, ['abc', 'de']],
    ['a last line without newline', ['a\nb'], undefined, ['a', 'b']],
    ['a last line only', ['no newline at the end'], undefined, ['no newline at the end']],
    ['CRLF line ends', ['a\r\nb\r', '\nc\r\n'], undefined, ['a', 'b', 'c']],
    ['a last line ending in CR', ['a\r'], undefined, ['a']],
    ['empty lines', ['\n\na\n'], undefined, ['', '', 'a']],
    ['only newlines', ['\n\n'], undefined, ['', '']],
    ['an empty chunk', ['', 'x'], undefined, ['x']],
    ['bytes', [bytes('a\nb'), bytes('c\n')], undefined, ['a', 'bc']],
    ['a 3-byte character split between chunks', [bytes('x'), euro.subarray(0, 1), euro.subarray(1), bytes('\n')], undefined, ['x€']],
    ['a 4-byte emoji split 1+3', [bytes('go '), emoji.subarray(0, 1), emoji.subarray(1), bytes('\n')], undefined, ['go 🚀']],
    ['a 4-byte emoji split 3+1 at the end', [bytes('go '), emoji.subarray(0, 3), emoji.subarray(3)], undefined, ['go 🚀']],
    ['a 4-byte emoji a byte per chunk', [...emoji].map((b) => Uint8Array.of(b)).concat(bytes('\r\n')), undefined, ['🚀']],
    ['an emoji split with a line ending before it', [Buffer.concat([bytes('a\n'), emoji.subarray(0, 2)]), Buffer.concat([emoji.subarray(2), bytes('b\n')])], undefined, ['a', '🚀b']],
    ['a complete line over the limit', ['abcdefg\n'], 3, ['abc', 'def', 'g']],
    ['a partial line over the limit', ['abcd', 'efg'], 3, ['abc', 'def', 'g']],
    ['an empty line under a limit', ['\n'], 3, ['']],
    ['nothing', [], undefined, []],
  ])('splits %s', (_name, chunks, max, expected) => {
    expect(split(chunks, max)).toEqual(expected);
  });

  it('gives each line as soon as its chunk completes it', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('step 1\nste')).toEqual(['step 1']);
    expect(splitter.push('p 2\n')).toEqual(['step 2']);
    expect(splitter.push(emoji.subarray(0, 2))).toEqual([]);
    expect(splitter.push(Buffer.concat([emoji.subarray(2), bytes('\n')]))).toEqual(['🚀']);
    expect(splitter.end()).toEqual([]);
  });

  it.each([
    { text: '', lines: [] },
    { text: 'built\n', lines: ['built'] },
    { text: 'a\r\nb', lines: ['a', 'b'] },
  ])('reads a whole text $text', ({ text, lines }) => {
    expect(LineSplitter.lines(text)).toEqual(lines);
  });
});
