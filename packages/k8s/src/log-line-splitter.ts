/**
 * Splits a log arriving in chunks into lines (on "\n", as Kubernetes writes them), holding a partial
 * last line until its newline comes; `end` gives what is left. UTF-8 split across chunks is kept whole.
 */
export class LogLineSplitter {
  private readonly decoder = new TextDecoder();
  private partial = '';

  push(chunk: Uint8Array | string): string[] {
    const lines = (this.partial + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }))).split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  end(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    return rest === '' ? [] : [rest];
  }

  /** The lines of a whole log read at once. */
  static lines(text: string): string[] {
    const splitter = new LogLineSplitter();
    return [...splitter.push(text), ...splitter.end()];
  }
}
