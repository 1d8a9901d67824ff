import type { z } from 'zod';
import { REQUIRED_BY_BRANCH_PROTECTION, type RequireChecks } from './require-checks-schema.js';

interface Input {
  github: { appId: number | null; privateKey: unknown; repository: string | null; mainBranch: string | null; checkName: string };
  repositories?: Array<{ name: string; mainBranch: string; compose?: { requireChecks?: RequireChecks | undefined } | undefined }> | undefined;
  compose: { requireChecks: RequireChecks };
}

const message = (branches: string) =>
  `"${REQUIRED_BY_BRANCH_PROTECTION}" reads the required status checks of ${branches} from branch protection through the GitHub App, which is not configured: ` +
  'set github.appId and github.privateKey, or list the check names instead (requireChecks: [ci/build, lint])';

/**
 * `requireChecks: required` is read from GitHub: without the App nobody can read it, so a PR would
 * wait forever. Said where it is written — the top-level `compose:` when some repository takes it
 * from there, else each repository's own. Stagecraft's own check run cannot be required either: a
 * PR gets it only once it is staged.
 */
export function checkRequireChecks(input: Input, ctx: z.core.$RefinementCtx): void {
  const own = input.github.checkName;
  const lists: Array<{ path: Array<string | number>; names: RequireChecks | undefined }> = [
    { path: ['compose', 'requireChecks'], names: input.compose.requireChecks },
    ...(input.repositories ?? []).map((r, index) => ({ path: ['repositories', index, 'compose', 'requireChecks'], names: r.compose?.requireChecks })),
  ];
  for (const { path, names } of lists) {
    const index = Array.isArray(names) ? names.indexOf(own) : -1;
    if (index === -1) continue;
    ctx.addIssue({
      code: 'custom',
      path: [...path, index],
      message: `"${own}" is Stagecraft's own check run (github.checkName), which a PR gets only once it is staged: requiring it would keep every PR out; remove it`,
    });
  }
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
