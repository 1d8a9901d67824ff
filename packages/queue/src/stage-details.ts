import { z } from 'zod';
import type { StageName } from './stage-names.js';

// The `details` of a stage result that Stagecraft itself reads: what compose and test-kernel report.
// Loose objects: an executor or a stage command may add fields of its own (the dashboard shows them).

const count = z.number().int().nonnegative();

/** `repo` (`owner/name`) may be left out when one repository is configured. */
const repoName = z.string().min(1).optional();
const prHeadSchema = z.object({ repo: repoName, number: z.number().int(), sha: z.string() });

/** What compose reports as its results: a local command's results file, or the GitHub compose executor. */
export const composeResultsSchema = z.looseObject({
  /** The staging SHA it produced; later stages deploy it (default: main's SHA). One repository: its SHA; several: the first's. */
  sha: z.string().optional(),
  /** The main SHA it composed staging from. */
  mainSha: z.string().optional(),
  /** Several repositories: each one's staging SHA and the main SHA it was composed from. */
  repos: z.array(z.object({ repo: z.string().min(1), sha: z.string().optional(), mainSha: z.string().optional() })).optional(),
  /** The PRs it merged into staging, at the heads merged; they become the cycle's PRs. */
  prs: z.array(prHeadSchema).optional(),
  /** PRs left out because they conflict: with main, or with the PR numbered `with`, merged before them. */
  conflicts: z.array(z.object({ repo: repoName, number: z.number().int(), sha: z.string(), with: z.union([z.literal('main'), z.number().int()]) })).optional(),
  /** PRs left out for another reason (untrusted author, skip label, too old…). */
  left: z.array(z.object({ repo: repoName, number: z.number().int(), sha: z.string().optional(), reason: z.string() })).optional(),
});
export type ComposeResults = z.infer<typeof composeResultsSchema>;

/** Pass/fail/skip counts of tests. */
export const testCountsSchema = z.object({ passed: count, failed: count, skipped: count });
export type TestCounts = z.infer<typeof testCountsSchema>;

/** What a test-kernel command writes to its results file: the counts (each may be left out: 0). */
export const testKernelResultsSchema = z.looseObject({
  passed: count.optional(),
  failed: count.optional(),
  skipped: count.optional(),
});
export type TestKernelResults = z.infer<typeof testKernelResultsSchema>;

/** One test run the HTTP test-kernel submitted: its counts and the link to its results. */
export const testRunSchema = z.looseObject({
  name: z.string(),
  /** The API's status, or "error" (a request failed), "timed-out", "cancelled". */
  status: z.string(),
  passed: count,
  failed: count,
  skipped: count,
  /** The human link the result gave, if any. */
  url: z.string().nullable().optional(),
});
export type TestRun = z.infer<typeof testRunSchema>;

/** compose's stage details: its results. */
export const composeDetailsSchema = z.looseObject({ results: composeResultsSchema.optional() });

/** test-kernel's stage details: a command's results, or the HTTP executor's runs and their totals. */
export const testKernelDetailsSchema = z.looseObject({
  results: testKernelResultsSchema.optional(),
  tests: z.array(testRunSchema).optional(),
  totals: testCountsSchema.optional(),
});
export type TestKernelDetails = z.infer<typeof testKernelDetailsSchema>;

type Details = Record<string, unknown> | null | undefined;

/** compose's results from its stage details; null when it reported none, or none Stagecraft can read. */
export function composeResultsOf(details: Details): ComposeResults | null {
  const parsed = composeDetailsSchema.safeParse(details ?? {});
  return parsed.success ? (parsed.data.results ?? null) : null;
}

/** test-kernel's stage details, typed; null when there are none, or none Stagecraft can read. */
export function testKernelDetailsOf(details: Details): TestKernelDetails | null {
  if (!details) return null;
  const parsed = testKernelDetailsSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}

/** What Stagecraft reads of each stage's results file; the other stages' results are only shown. */
const RESULTS_SCHEMAS: Partial<Record<StageName, z.ZodType>> = {
  compose: composeResultsSchema,
  'test-kernel': testKernelResultsSchema,
};

/**
 * Why the results a stage command wrote do not fit what Stagecraft reads of that stage (one line
 * per field, e.g. `prs[0].sha: expected a string`), or null when they do.
 */
export function stageResultsProblems(stage: StageName, results: unknown): string[] | null {
  const schema = RESULTS_SCHEMAS[stage];
  if (!schema) return null;
  const parsed = schema.safeParse(results);
  if (parsed.success) return null;
  return parsed.error.issues.map((issue) => `${fieldPath(issue.path) || '(the whole file)'}: ${issue.message}`);
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
