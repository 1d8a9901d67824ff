import { pullRequestLabel } from '@stagecraft/policy';

/**
 * `#12` with one configured repository, `acme/api#12` with several. A PR recorded before PRs named
 * their repository is the first repository's.
 */
export function prLabel(pr: { repo?: string; number: number }, repositories: readonly string[]): string {
  return pullRequestLabel(pr.repo ?? repositories[0] ?? '', pr.number, repositories.length > 1);
}
