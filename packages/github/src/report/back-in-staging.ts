import type { CycleRecord, PrHead } from '@stagecraft/engine';
import { EXCLUDED_LABEL } from './post-exclusion.js';

/** A PR a bisection had excluded, taken in again by a cycle: the head it excluded and why. */
export interface BackInStaging {
  sha: string;
  origin: string;
  stage: string;
}

/** The first line of the PR's Stagecraft comment for the cycle that took it back. */
export function backInStagingLine(back: BackInStaging, pr: PrHead, record: Pick<CycleRecord, 'env' | 'id'>, label: string): string {
  const how =
    back.sha === pr.sha
      ? `a maintainer's \`deploy\` took head \`${pr.sha.slice(0, 7)}\` back as it is`
      : `its new head \`${pr.sha.slice(0, 7)}\` is tried`;
  return (
    `↩️ **Back in ${record.env}**: ${label} was left out at head \`${back.sha.slice(0, 7)}\` after a bisection found it broke ${back.stage} in ${back.origin}; ` +
    `${how} in cycle ${record.id}, and the \`${EXCLUDED_LABEL}\` label is off.`
  );
}
