import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterOptions {
  /**
   * A line longer than this is passed on in pieces of this length, so a process printing
   * megabytes without a newline cannot grow the buffer without bound (default: no limit).
   */
  maxLineLength?: number;
}

/**
 * Turns a stream's chunks (a child's stdout, a pod's log) into whole lines: a partial line waits
 * for the chunk that ends it, a multi-byte UTF-8 character split between two chunks stays whole,
 * "\r\n" ends a line like "\n", and `end` gives the last line when it had no newline.
 */
export class LineSplitter {
  private partial = '';
  // Holds the first bytes of a character whose remaining bytes come in the next chunk.
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineLength: number;

  constructor(options: LineSplitterOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? Infinity;
  }

  /** The lines this chunk completes. */
  push(chunk: Uint8Array | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const complete = text.split(/\r?\n/);
    let partial = complete.pop() ?? '';
    const lines = complete.flatMap((line) => this.pieces(line));
    while (partial.length > this.maxLineLength) {
      lines.push(partial.slice(0, this.maxLineLength));
      partial = partial.slice(this.maxLineLength);
    }
    this.partial = partial;
    return lines;
  }

  /** The stream ended: what is left, as a last line, unless nothing is. */
  end(): string[] {
    const rest = (this.partial + this.decoder.end()).replace(/\r$/, '');
    this.partial = '';
    return rest === '' ? [] : this.pieces(rest);
  }

  /** The lines of a whole text read at once. */
  static lines(text: string, options: LineSplitterOptions = {}): string[] {
    const splitter = new LineSplitter(options);
    return [...splitter.push(text), ...splitter.end()];
  }

  private pieces(line: string): string[] {
    if (line.length <= this.maxLineLength) return [line];
    const pieces: string[] = [];
    for (let start = 0; start < line.length; start += this.maxLineLength) pieces.push(line.slice(start, start + this.maxLineLength));
    return pieces;
  }
}
