import { describe, expect, it } from '@jest/globals';
import { LogLineSplitter } from './log-line-splitter.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LogLineSplitter', () => {
  it.each([
    { chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { chunks: ['a\nb'], lines: ['a', 'b'] },
    { chunks: ['a', 'b\nc', '\n'], lines: ['ab', 'c'] },
    { chunks: ['a\n\nb\n'], lines: ['a', '', 'b'] },
    { chunks: ['', 'x'], lines: ['x'] },
    { chunks: [], lines: [] },
  ])('splits $chunks into $lines', ({ chunks, lines }) => {
    const splitter = new LogLineSplitter();
    expect([...chunks.flatMap((chunk) => splitter.push(bytes(chunk))), ...splitter.end()]).toEqual(lines);
  });

  it('holds a partial line until its newline comes', () => {
    const splitter = new LogLineSplitter();
    expect(splitter.push('step 1\nste')).toEqual(['step 1']);
    expect(splitter.push('p 2\n')).toEqual(['step 2']);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const encoded = bytes('ok ✓\n');
    const splitter = new LogLineSplitter();
    expect([...splitter.push(encoded.slice(0, 4)), ...splitter.push(encoded.slice(4)), ...splitter.end()]).toEqual(['ok ✓']);
  });

  it.each([
    { text: '', lines: [] },
    { text: 'built\n', lines: ['built'] },
    { text: 'a\nb', lines: ['a', 'b'] },
  ])('reads a whole log $text', ({ text, lines }) => {
    expect(LogLineSplitter.lines(text)).toEqual(lines);
  });
});
