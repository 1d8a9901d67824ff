import { z } from 'zod';

export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const NAME_RULE = 'expected a name of lowercase letters, digits and "-", like "staging"';

const environmentSchema = z.strictObject({
  /** Cycles run on their own for changes on main and trusted PRs. */
  auto: z.boolean().default(false),
  /** A maintainer's approval is needed before a cycle deploys here. */
  approval: z.boolean().default(false),
});

export const DEFAULT_ENVIRONMENTS = {
  staging: { auto: true, approval: false },
  production: { auto: false, approval: true },
};

export const environmentsSchema = z
  .record(z.string().regex(NAME_PATTERN, NAME_RULE), environmentSchema)
  .superRefine((environments, ctx) => {
    if (!Object.values(environments).some((e) => e.auto)) {
      ctx.addIssue({
        code: 'custom',
        message: 'no environment has auto: true, so Stagecraft would never run a cycle on its own: set auto: true on one (usually staging)',
      });
    }
  });
