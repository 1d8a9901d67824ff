/** Keeps the last `max` lines written through it, passing each on to `log`. */
export class OutputTail {
  readonly lines: string[] = [];

  constructor(
    private readonly max: number,
    private readonly log: (line: string) => void,
  ) {}

  write(line: string): void {
    this.log(line);
    this.push(line);
  }

  /** Keeps a line without logging it (already logged elsewhere). */
  push(line: string): void {
    if (this.max <= 0) return;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}
