import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines, holding a partial last line until it completes. A line longer
 * than `maxLineLength` is passed on in pieces, so a command printing megabytes without a newline
 * cannot grow the buffer without bound.
 */
export class LineBuffer {
  private partial = '';
  // Decodes across chunk boundaries: a multi-byte character split between two reads stays whole.
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = 64 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split(/\r?\n/);
    let partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
    while (partial.length > this.maxLineLength) {
      this.onLine(partial.slice(0, this.maxLineLength));
      partial = partial.slice(this.maxLineLength);
    }
    this.partial = partial;
  }

  flush(): void {
    const rest = (this.partial + this.decoder.end()).replace(/\r$/, '');
    this.partial = '';
    if (rest) this.emit(rest);
  }

  private emit(line: string): void {
    for (let start = 0; start < line.length || start === 0; start += this.maxLineLength) {
      this.onLine(line.slice(start, start + this.maxLineLength));
    }
  }
}
