import type { TimelineEntry } from './timeline-entry.js';

/** One line per entry: `2026-11-25 14:35:00  staging-3   started   partial  change          why`. */
export function formatTimeline(entries: TimelineEntry[]): string {
  const idWidth = Math.max(8, ...entries.map((e) => e.cycleId.length));
  return entries
    .map((e) =>
      [
        new Date(e.at).toISOString().replace('T', ' ').slice(0, 19),
        e.cycleId.padEnd(idWidth),
        e.what.padEnd(9),
        (e.kind ?? '').padEnd(7),
        (e.trigger ?? '').padEnd(15),
        e.detail,
      ].join('  '),
    )
    .join('\n');
}
