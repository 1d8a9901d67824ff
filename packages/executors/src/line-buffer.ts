/** Splits a byte stream into lines, holding a partial last line until it completes. */
export class LineBuffer {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  flush(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
  }
}
