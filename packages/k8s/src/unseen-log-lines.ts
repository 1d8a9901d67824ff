/**
 * The lines of a log read at once that a follow stream had not delivered: `read` is the log's last
 * lines (at most `limit`), `streamed` how many lines the stream delivered from its start and `recent`
 * the last of them. When `read` is the whole log (fewer than `limit` lines) the first `streamed` are
 * skipped; else `read` is aligned after the streamed lines it repeats, and, when it repeats none,
 * all of it is new (the stream broke before the part `read` holds).
 */
export function unseenLogLines(read: readonly string[], streamed: number, recent: readonly string[], limit: number): string[] {
  if (streamed <= 0) return [...read];
  if (read.length < limit) return read.slice(Math.min(streamed, read.length));
  for (let overlap = Math.min(streamed, read.length); overlap > 0; overlap -= 1) {
    const compared = Math.min(overlap, recent.length);
    let matches = true;
    for (let i = 1; i <= compared && matches; i += 1) matches = read[overlap - i] === recent[recent.length - i];
    if (matches) return read.slice(overlap);
  }
  return [...read];
}
