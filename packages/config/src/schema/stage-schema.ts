import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { kubernetesBuildStageSchema, kubernetesDeployStageSchema } from './kubernetes-stage-schema.js';
import { httpDrainStageSchema, httpTestKernelStageSchema } from './http-stage-schema.js';
import { secretSchema, type SecretContext } from './secret-schema.js';

/**
 * One variable of a stage command's environment: text (a number or true/false is written as text),
 * or a secret `{ env: NAME }` / `{ file: PATH }` read at load like every other secret.
 */
function stageEnvValueSchema(secrets: SecretContext) {
  const plain = z.union([z.string(), z.number(), z.boolean()]).transform(String);
  return z.union([plain, secretSchema(secrets)], {
    error: (issue) => {
      const input = issue.input;
      // A mapping meant to be a secret: say what is wrong with it (no such file, a wrong key…).
      if (issue.code === 'invalid_union' && input !== null && typeof input === 'object' && !Array.isArray(input)) {
        return issue.errors[1]?.[0]?.message;
      }
      return 'expected text, a number, true/false, or a secret as { env: NAME } or { file: PATH }';
    },
  });
}

function localStageSchema(defaultTimeout: string, secrets: SecretContext) {
  return z.strictObject({
    executor: z.literal('local'),
    /** A shell command run for each job; null leaves the stage without an executor. */
    command: z.string().min(1, 'expected a shell command, or null for none').nullable().default(null),
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    /**
     * The command's environment beyond PATH, HOME, LANG, LC_ALL, TZ, TMPDIR and the STAGECRAFT_*
     * cycle variables: nothing else of the worker's environment reaches it.
     */
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'), stageEnvValueSchema(secrets))
      .default({}),
    cwd: z.string().min(1).nullable().default(null),
    /** After SIGTERM (timeout, cancel, the worker's death) the command's processes have this long to exit before SIGKILL. */
    killGrace: durationSchema().prefault('5s'),
  });
}

/** compose only: staging = main + ready PRs merged through the GitHub API (needs github.appId and privateKey). */
function githubComposeSchema(defaultTimeout: string) {
  return z.strictObject({
    executor: z.literal('github'),
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    /** The old place of compose.maxAge, still read (see copyLegacyComposeRules). */
    maxAge: durationSchema({ positive: true }).optional(),
    /** The old place of compose.skipLabel, still read. */
    skipLabel: z.string().min(1).optional(),
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

/**
 * One stage's executor settings: `executor` picks one of `variants` (a missing one means "local"),
 * and a wrong name is reported with the names this stage accepts.
 */
function stageWith<const Variants extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(variants: Variants, names: readonly string[]) {
  return z.preprocess(withDefaultExecutor, z.discriminatedUnion('executor', variants, { error: unionError(names) })).prefault({});
}

export const stagesSchema = (paths: SecretContext) =>
  z.strictObject({
    // compose may also compose through the GitHub API.
    compose: stageWith([localStageSchema('10m', paths), githubComposeSchema('10m')], ['local', 'github']),
    // build may also run a Kubernetes Job per component (a Job template file is relative to the config).
    build: stageWith([localStageSchema('30m', paths), kubernetesBuildStageSchema('30m', paths)], ['local', 'kubernetes']),
    // drain may also pause the deployed API over HTTP and wait for its queue to empty.
    drain: stageWith([localStageSchema('15m', paths), httpDrainStageSchema('15m', paths)], ['local', 'http']),
    // deploy may also set images on Kubernetes Deployments and wait for their rollout.
    deploy: stageWith([localStageSchema('20m', paths), kubernetesDeployStageSchema('20m')], ['local', 'kubernetes']),
    // test-kernel may also submit tests to the deployed API over HTTP and collect their results.
    testKernel: stageWith([localStageSchema('2h', paths), httpTestKernelStageSchema('2h', paths)], ['local', 'http']),
  });
