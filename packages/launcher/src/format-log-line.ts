const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
// Fields every app line carries, or that the label in front of the line already says.
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'v', 'name']);

export interface LogLine {
  text: string;
  /** pino's numeric level, or null for a line that is not a pino JSON record. */
  level: number | null;
}

/**
 * A pino JSON line made readable in a terminal: `INFO  scheduler ready port=3002 env=staging`.
 * Anything that is not a pino record (a stack trace, a crash message) is passed through as is.
 */
export function formatLogLine(line: string): LogLine {
  if (!line.startsWith('{')) return { text: line, level: null };
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line, level: null };
  }
  if (typeof record['level'] !== 'number' || typeof record['msg'] !== 'string') return { text: line, level: null };
  const level = record['level'];
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? quoteIfNeeded(value) : JSON.stringify(value)}`);
  const label = LEVELS[level] ?? `L${level}`.padEnd(5);
  return { text: [label, record['msg'], ...fields].join(' '), level };
}

function quoteIfNeeded(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}
