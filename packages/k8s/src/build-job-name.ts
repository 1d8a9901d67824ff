import { createHash } from 'node:crypto';

const MAX = 63;

/**
 * The name of a build Job: "stagecraft-build-<component>-<cycle>-<attempt>", lowercase, at most 63
 * characters (pods carry it in their job-name label, whose values may not be longer). A retry
 * gets its own name, so a Job a crashed worker left behind never blocks it.
 */
export function buildJobName(component: string, cycleId: string, attempt: number): string {
  const full = `stagecraft-build-${component}-${cycleId}-${attempt}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-');
  if (full.length <= MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
