import type { z } from 'zod';
import { REQUIRED_BY_BRANCH_PROTECTION, type RequireChecks } from './require-checks-schema.js';

interface Input {
  github: { appId: number | null; privateKey: unknown; repository: string | null; mainBranch: string | null };
  repositories?: Array<{ name: string; mainBranch: string; compose?: { requireChecks?: RequireChecks | undefined } | undefined }> | undefined;
  compose: { requireChecks: RequireChecks };
}

const message = (branches: string) =>
  `"${REQUIRED_BY_BRANCH_PROTECTION}" reads the required status checks of ${branches} from branch protection through the GitHub App, which is not configured: ` +
  'set github.appId and github.privateKey, or list the check names instead (requireChecks: [ci/build, lint])';

/**
 * `requireChecks: required` is read from GitHub: without the App nobody can read it, so a PR would
 * wait forever. Said where it is written — the top-level `compose:` when some repository takes it
 * from there, else each repository's own.
 */
export function checkRequireChecks(input: Input, ctx: z.core.$RefinementCtx): void {
  if (input.github.appId !== null && input.github.privateKey !== null) return;
  const repositories = input.repositories ?? [{ name: input.github.repository ?? '', mainBranch: input.github.mainBranch ?? 'main', compose: undefined }];
  const inheriting = repositories.filter((r) => r.compose?.requireChecks === undefined);
  if (input.compose.requireChecks === REQUIRED_BY_BRANCH_PROTECTION && inheriting.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['compose', 'requireChecks'], message: message(branchesOf(inheriting)) });
  }
  repositories.forEach((repository, index) => {
    if (repository.compose?.requireChecks !== REQUIRED_BY_BRANCH_PROTECTION) return;
    ctx.addIssue({ code: 'custom', path: ['repositories', index, 'compose', 'requireChecks'], message: message(branchesOf([repository])) });
  });
}

function branchesOf(repositories: Array<{ name: string; mainBranch: string }>): string {
  return repositories.map((r) => (r.name ? `${r.name} ${r.mainBranch}` : r.mainBranch)).join(', ');
}
