import { appendFileSync } from 'node:fs';
import { formatLogLine } from './format-log-line.js';
import { logLabel } from './log-label.js';

export interface MergedLogOptions {
  /** Every label that will write, so the columns line up; the CLI's own is added. */
  labels: string[];
  color: boolean;
  write?: (text: string) => void;
  /** Show app lines from this pino level up only (the rest still goes to `file`). */
  minLevel?: number;
  /** Every app line, unfiltered and uncoloured. */
  file?: string | null;
}

export const CLI_LABEL = 'stagecraft';

/** The single log stream of `stagecraft start`: every app's lines, then the CLI's, each under its label. */
export class MergedLog {
  private readonly width: number;
  private readonly colors: Map<string, number>;
  private readonly write: (text: string) => void;

  constructor(private readonly options: MergedLogOptions) {
    this.width = Math.max(CLI_LABEL.length, ...options.labels.map((l) => l.length));
    // Replicas of an app share its colour.
    const apps = [...new Set(options.labels.map((l) => l.split('#')[0]!))];
    this.colors = new Map(options.labels.map((l) => [l, apps.indexOf(l.split('#')[0]!)]));
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  app(label: string, line: string): void {
    const { text, level } = formatLogLine(line);
    if (this.options.file) appendFileSync(this.options.file, `${logLabel(label, this.width, null)}${text}\n`);
    // A line that is not a log record (a crash, a stack trace) is always shown.
    if (level !== null && level < (this.options.minLevel ?? 0)) return;
    this.write(`${logLabel(label, this.width, this.options.color ? (this.colors.get(label) ?? 0) : null)}${text}\n`);
  }

  /** A line of the CLI's own, in bold when coloured. */
  cli(line: string): void {
    const label = logLabel(CLI_LABEL, this.width, null);
    this.write(this.options.color ? `\u001b[1m${label}${line}\u001b[22m\n` : `${label}${line}\n`);
  }
}
