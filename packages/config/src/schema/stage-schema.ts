import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

export const EXECUTORS = ['local'] as const;

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

function withDefaultExecutor(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('executor' in value)) return { ...value, executor: 'local' };
  return value;
}

/** One stage's executor settings; `executor` picks the kind (only "local" so far) and defaults to it. */
export function stageSchema(defaultTimeout: string) {
  return z
    .preprocess(
      withDefaultExecutor,
      z.discriminatedUnion('executor', [localStageSchema(defaultTimeout)], {
        error: (issue) =>
          issue.code === 'invalid_union'
            ? `expected executor ${EXECUTORS.map((e) => `"${e}"`).join(' or ')}, got ${JSON.stringify((issue.input as { executor?: unknown } | undefined)?.executor ?? issue.input)}`
            : undefined,
      }),
    )
    .prefault({});
}

export const stagesSchema = z.strictObject({
  compose: stageSchema('10m'),
  build: stageSchema('30m'),
  drain: stageSchema('15m'),
  deploy: stageSchema('20m'),
  testKernel: stageSchema('2h'),
});
