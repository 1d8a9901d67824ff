import type { PromotionRules, ReleaseFacts } from './promotion-types.js';

/** Why a release may not be promoted (null: it may): it must have passed a cycle of the kind required. */
export function releaseIneligibility(release: ReleaseFacts, from: string, requires: PromotionRules['requires']): string | null {
  if (release.env !== from) return `release ${release.id} was deployed to ${release.env}, not ${from}: promote a release of ${from}`;
  if (!release.passed) return `release ${release.id} did not pass ${from}: its cycle ${release.outcome}`;
  if (requires === 'full' && release.kind !== 'full') {
    return `release ${release.id} passed only a partial ${from} cycle (no tests ran) and this environment requires a full one: wait for a full cycle or run \`trigger\``;
  }
  return null;
}

/** The newest release (first in `newestFirst`) that may be promoted, or why there is none. */
export function newestEligibleRelease<R extends ReleaseFacts>(newestFirst: R[], from: string, requires: PromotionRules['requires']): { release: R } | { reason: string } {
  const release = newestFirst.find((r) => releaseIneligibility(r, from, requires) === null);
  if (release) return { release };
  return { reason: `no release of ${from} passed a ${requires === 'full' ? 'full' : ''} cycle yet`.replace('  ', ' ') };
}
