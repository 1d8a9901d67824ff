import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { requireChecksSchema } from './require-checks-schema.js';

export const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
export const REPOSITORY_RULE = 'expected "owner/name", like "octo-org/service"';

export const branchSchema = z.string().regex(/^[^\s~^:?*[\\]+$/, 'expected a git branch name');

/**
 * One repository staging composes: its main plus its ready PRs, onto its staging branch. Its
 * compose rules default to the top-level `compose:`.
 */
export const repositorySchema = z.strictObject({
  name: z.string().regex(REPOSITORY_PATTERN, REPOSITORY_RULE),
  mainBranch: branchSchema.default('main'),
  stagingBranch: branchSchema.default('staging'),
  compose: z
    .strictObject({
      skipLabel: z.string().min(1).optional(),
      maxAge: durationSchema({ positive: true }).optional(),
      requireChecks: requireChecksSchema.optional(),
    })
    .optional(),
});

/** Several repositories in one environment (KernelCI's core, api and pipeline); names are unique, whatever their case. */
export const repositoriesSchema = z
  .array(repositorySchema)
  .min(1, 'expected at least one repository, like [{ name: "octo-org/service" }]')
  .superRefine((repositories, ctx) => {
    const firstIndex = new Map<string, number>();
    repositories.forEach((repository, index) => {
      const key = repository.name.toLowerCase();
      const first = firstIndex.get(key);
      if (first === undefined) firstIndex.set(key, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `"${repository.name}" is repositories.${first} already (GitHub names ignore case): list each repository once` });
    });
  });
