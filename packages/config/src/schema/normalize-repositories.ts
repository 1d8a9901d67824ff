import type { z } from 'zod';
import { closestName } from '../closest-name.js';
import type { RequireChecks } from './require-checks-schema.js';

interface RepositoryInput {
  name: string;
  mainBranch: string;
  stagingBranch: string;
  compose?: { skipLabel?: string | undefined; maxAge?: number | undefined; requireChecks?: RequireChecks | undefined } | undefined;
}

interface Input {
  github: { repository: string | null; mainBranch: string | null; stagingBranch: string | null };
  repositories?: RepositoryInput[] | undefined;
  compose: { skipLabel: string; maxAge: number; requireChecks: RequireChecks };
  components: Array<{ name: string; repository?: string | undefined }>;
}

/** A configured repository with its compose rules resolved (its own, else the top-level `compose:`). */
export interface RepositoryConfig {
  /** `owner/name`, as configured. */
  name: string;
  mainBranch: string;
  stagingBranch: string;
  /** `requireChecks`: the checks a PR's head must pass first (names, or `required`: the main branch's required checks). */
  compose: { skipLabel: string; maxAge: number; requireChecks: RequireChecks };
}

const DEFAULT_REPOSITORY = 'example/repo';

/** `github.repository` (one repository, the short form) or `repositories:`: never both. */
function repositoryList(input: Input): RepositoryInput[] {
  if (input.repositories) return input.repositories;
  return [{ name: input.github.repository ?? DEFAULT_REPOSITORY, mainBranch: input.github.mainBranch ?? 'main', stagingBranch: input.github.stagingBranch ?? 'staging' }];
}

/** The mistakes a list of repositories and the components naming them can hold, as zod issues. */
export function checkRepositories(input: Input, ctx: z.core.$RefinementCtx): void {
  if (input.repositories) {
    for (const key of ['repository', 'mainBranch', 'stagingBranch'] as const) {
      if (input.github[key] === null) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['github', key],
        message: `repositories: is given too: say it there (repositories[].${key === 'repository' ? 'name' : key}) and remove github.${key}`,
      });
    }
  }
  const names = repositoryList(input).map((r) => r.name);
  const byLowerName = new Map(names.map((n) => [n.toLowerCase(), n]));
  input.components.forEach((component, index) => {
    if (component.repository === undefined) {
      if (names.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', index, 'repository'],
          message: `${names.length} repositories are configured: say which one holds component "${component.name}" (one of ${names.join(', ')})`,
        });
      }
      return;
    }
    if (byLowerName.has(component.repository.toLowerCase())) return;
    const guess = closestName(component.repository, names);
    ctx.addIssue({
      code: 'custom',
      path: ['components', index, 'repository'],
      message: `"${component.repository}" is not a configured repository${guess ? ` (did you mean "${guess}"?)` : ''}: add it to repositories: or use one of ${names.join(', ')}`,
    });
  });
}

/**
 * Every config as a list of repositories: the short form becomes a one-entry list, each repository
 * gets its compose rules, each component its repository's name as configured.
 */
export function normalizeRepositories<T extends Input>(input: T) {
  const repositories: RepositoryConfig[] = repositoryList(input).map((r) => ({
    name: r.name,
    mainBranch: r.mainBranch,
    stagingBranch: r.stagingBranch,
    compose: {
      skipLabel: r.compose?.skipLabel ?? input.compose.skipLabel,
      maxAge: r.compose?.maxAge ?? input.compose.maxAge,
      requireChecks: r.compose?.requireChecks ?? input.compose.requireChecks,
    },
  }));
  const byLowerName = new Map(repositories.map((r) => [r.name.toLowerCase(), r.name]));
  const { repository: _repository, mainBranch: _mainBranch, stagingBranch: _stagingBranch, ...github } = input.github;
  const components = input.components.map((component) => ({
    ...component,
    repository: byLowerName.get((component.repository ?? repositories[0]!.name).toLowerCase()) ?? repositories[0]!.name,
  })) as Array<T['components'][number] & { repository: string }>;
  const { repositories: _given, github: _github, components: _components, ...rest } = input;
  const normalized: Omit<T, 'repositories' | 'github' | 'components'> & {
    github: Omit<T['github'], 'repository' | 'mainBranch' | 'stagingBranch'>;
    repositories: RepositoryConfig[];
    components: Array<T['components'][number] & { repository: string }>;
  } = { ...rest, github: github as Omit<T['github'], 'repository' | 'mainBranch' | 'stagingBranch'>, repositories, components };
  return normalized;
}
