/** A point in time as `14:05:00 UTC`: the clock in every reason the policy gives. */
export function formatUtcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
