import { z } from 'zod';

/** `requireChecks: required`: the required status checks branch protection sets on the repository's main branch. */
export const REQUIRED_BY_BRANCH_PROTECTION = 'required';

/** Check names, or the branch's required checks. */
export type RequireChecks = string[] | typeof REQUIRED_BY_BRANCH_PROTECTION;

const RULE = `expected a list of check names like [ci/build, lint] (check runs or commit statuses), or "${REQUIRED_BY_BRANCH_PROTECTION}" for the required status checks of the main branch`;

/**
 * The checks a PR's head must pass before it joins staging. A list from an env override
 * (`STAGECRAFT_COMPOSE__REQUIRE_CHECKS=required` reads as `[required]`) that holds only the word
 * means the word: no check of that name can be required, a small price for one spelling in both places.
 */
export const requireChecksSchema = z.preprocess(
  (value) => (Array.isArray(value) && value.length === 1 && value[0] === REQUIRED_BY_BRANCH_PROTECTION ? REQUIRED_BY_BRANCH_PROTECTION : value),
  z.union([z.literal(REQUIRED_BY_BRANCH_PROTECTION), z.array(z.string().trim().min(1, 'expected a check name, got an empty one'))], { error: RULE }).superRefine((value, ctx) => {
    if (!Array.isArray(value)) return;
    value.forEach((name, index) => {
      if (name === REQUIRED_BY_BRANCH_PROTECTION) {
        ctx.addIssue({ code: 'custom', path: [index], message: `"${REQUIRED_BY_BRANCH_PROTECTION}" means the branch's required checks: write requireChecks: ${REQUIRED_BY_BRANCH_PROTECTION} instead of listing it` });
      } else if (value.indexOf(name) !== index) {
        ctx.addIssue({ code: 'custom', path: [index], message: `"${name}" is listed twice: list each check once` });
      }
    });
  }),
);
