/**
 * Which of two cycle ids is newer: cycle ids are "<env>-<sequence>" (decide() numbers them per
 * environment), so ids of one environment compare by sequence. Positive when `a` is newer, negative
 * when older, 0 when the same; null when they cannot be compared (another environment or naming).
 */
export function compareCycleIds(a: string, b: string): number | null {
  if (a === b) return 0;
  const pa = a.match(/^(.*)-(\d+)$/);
  const pb = b.match(/^(.*)-(\d+)$/);
  if (!pa || !pb || pa[1] !== pb[1]) return null;
  return Number(pa[2]) - Number(pb[2]);
}
