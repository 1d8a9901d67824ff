import type { GitRequestClient } from '../compose/compose-staging.js';
import { RequiredChecksUnreadableError } from '../errors/required-checks-unreadable-error.js';

/**
 * The status checks branch protection requires on `branch` (its contexts, and the checks GitHub
 * lists with an App id): [] when the branch is not protected or requires none (GitHub answers 404).
 * Rulesets are not read: their required checks are listed with `requireChecks: [names]`.
 */
export async function readRequiredChecks(client: GitRequestClient, repo: { owner: string; repo: string }, branch: string): Promise<string[]> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks', { ...repo, branch });
    const names = [...((data?.contexts ?? []) as string[]), ...((data?.checks ?? []) as Array<{ context: string }>).map((c) => c.context)];
    return [...new Set(names)];
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404) return [];
    if (status === 403) throw new RequiredChecksUnreadableError(`${repo.owner}/${repo.repo}`, branch, err);
    throw err;
  }
}
