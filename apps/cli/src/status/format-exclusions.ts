import type { ExcludedPr } from '@stagecraft/engine';
import { prLabel } from './pr-label.js';

/** The PRs a bisection keeps out of staging, one line each with how to bring it back; nothing when none is. */
export function formatExclusions(exclusions: readonly ExcludedPr[], repositories: readonly string[]): string[] {
  if (exclusions.length === 0) return [];
  return [
    'excluded from staging by a bisection',
    ...exclusions.map((x) => `  ${prLabel(x, repositories)} at ${x.sha.slice(0, 7)}: ${x.reason}; to bring it back, ${x.bringBack}`),
  ];
}
