import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { requireChecksSchema } from './require-checks-schema.js';

/**
 * Which open PRs a cycle composes into staging, whatever `stages.compose.executor` is: the
 * scheduler's list of ready PRs and the github compose executor both apply these.
 */
export const composeRulesSchema = z.strictObject({
  /** A PR with this label is left out of staging. */
  skipLabel: z.string().min(1).default('staging-skip'),
  /** A PR not updated for this long is left out of staging. */
  maxAge: durationSchema({ positive: true }).prefault('14d'),
  /** Checks a PR's head must pass before it joins staging (names, or `required` from branch protection); none by default. */
  requireChecks: requireChecksSchema.default([]),
});

/** Where these rules were written before they applied to every compose executor. */
export const LEGACY_COMPOSE_RULE_KEYS = ['skipLabel', 'maxAge'] as const;

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `stages.compose.skipLabel` / `maxAge` (the github executor's keys before) still count: each one
 * given is copied to `compose.*` unless that is given too (then the two must agree, see below).
 */
export function copyLegacyComposeRules(raw: unknown): unknown {
  if (!isMapping(raw) || !isMapping(raw['stages']) || !isMapping(raw['stages']['compose'])) return raw;
  const legacy = raw['stages']['compose'];
  const rules = isMapping(raw['compose']) ? raw['compose'] : {};
  const copied = Object.fromEntries(LEGACY_COMPOSE_RULE_KEYS.filter((key) => legacy[key] !== undefined && rules[key] === undefined).map((key) => [key, legacy[key]]));
  if (Object.keys(copied).length === 0) return raw;
  return { ...raw, compose: { ...rules, ...copied } };
}
