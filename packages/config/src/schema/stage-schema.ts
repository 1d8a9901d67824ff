import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { kubernetesBuildStageSchema, kubernetesDeployStageSchema } from './kubernetes-stage-schema.js';
import { httpDrainStageSchema, httpTestKernelStageSchema } from './http-stage-schema.js';
import type { SecretContext } from './secret-schema.js';

export const EXECUTORS = ['local', 'github'] as const;

function localStageSchema(defaultTimeout: string) {
  return z.strictObject({
    executor: z.literal('local'),
    /** A shell command run for each job; null leaves the stage without an executor. */
    command: z.string().min(1, 'expected a shell command, or null for none').nullable().default(null),
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'),
        z.union([z.string(), z.number(), z.boolean()], { error: 'expected text, a number or true/false' }).transform(String),
      )
      .default({}),
    cwd: z.string().min(1).nullable().default(null),
  });
}

/** compose only: staging = main + ready PRs merged through the GitHub API (needs github.appId and privateKey). */
function githubComposeSchema(defaultTimeout: string) {
  return z.strictObject({
    executor: z.literal('github'),
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    /** A PR not updated for this long is left out of staging. */
    maxAge: durationSchema({ positive: true }).prefault('14d'),
    /** A PR with this label is left out of staging. */
    skipLabel: z.string().min(1).default('staging-skip'),
  });
}

function withDefaultExecutor(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('executor' in value)) return { ...value, executor: 'local' };
  return value;
}

const unionError = (allowed: readonly string[]) => (issue: { code: string; input?: unknown }) =>
  issue.code === 'invalid_union'
    ? `expected executor ${allowed.map((e) => `"${e}"`).join(' or ')}, got ${JSON.stringify((issue.input as { executor?: unknown } | undefined)?.executor ?? issue.input)}`
    : undefined;

/** One stage's executor settings; `executor` picks the kind and defaults to "local". */
export function stageSchema(defaultTimeout: string) {
  return z
    .preprocess(withDefaultExecutor, z.discriminatedUnion('executor', [localStageSchema(defaultTimeout)], { error: unionError(['local']) }))
    .prefault({});
}

/** The compose stage may also compose through the GitHub API. */
export function composeStageSchema(defaultTimeout: string) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout), githubComposeSchema(defaultTimeout)], { error: unionError(EXECUTORS) }),
    )
    .prefault({});
}

/** The build stage may also run a Kubernetes Job per component (a Job template may be a file, relative to `baseDir`). */
export function buildStageSchema(defaultTimeout: string, paths: { baseDir: string }) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout), kubernetesBuildStageSchema(defaultTimeout, paths)], {
        error: unionError(['local', 'kubernetes']),
      }),
    )
    .prefault({});
}

/** The deploy stage may also set images on Kubernetes Deployments and wait for their rollout. */
export function deployStageSchema(defaultTimeout: string) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout), kubernetesDeployStageSchema(defaultTimeout)], {
        error: unionError(['local', 'kubernetes']),
      }),
    )
    .prefault({});
}

/** The drain stage may also pause the deployed API over HTTP and wait for its queue to empty. */
export function drainStageSchema(defaultTimeout: string, secrets: SecretContext) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout), httpDrainStageSchema(defaultTimeout, secrets)], { error: unionError(['local', 'http']) }),
    )
    .prefault({});
}

/** The test-kernel stage may also submit tests to the deployed API over HTTP and collect their results. */
export function testKernelStageSchema(defaultTimeout: string, secrets: SecretContext) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout), httpTestKernelStageSchema(defaultTimeout, secrets)], { error: unionError(['local', 'http']) }),
    )
    .prefault({});
}

export const stagesSchema = (paths: SecretContext) => z.strictObject({
  compose: composeStageSchema('10m'),
  build: buildStageSchema('30m', paths),
  drain: drainStageSchema('15m', paths),
  deploy: deployStageSchema('20m'),
  testKernel: testKernelStageSchema('2h', paths),
});
