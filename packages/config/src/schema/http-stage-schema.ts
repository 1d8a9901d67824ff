import { z } from 'zod';
import { durationSchema } from './duration-schema.js';
import { secretSchema, type SecretContext } from './secret-schema.js';

/** What URLs and request bodies of the HTTP executors may hold, in double braces. */
export const HTTP_PLACEHOLDERS = ['sha', 'shortSha', 'mainSha', 'cycleId', 'env', 'kind', 'components', 'attempt'] as const;
/** Poll URL templates of test-kernel submissions may also hold the id the submission answered with. */
export const HTTP_POLL_PLACEHOLDERS = [...HTTP_PLACEHOLDERS, 'id'] as const;
export const COMPARISON_OPERATORS = ['==', '!=', '<', '<=', '>', '>='] as const;

const JSON_PATH = /^\$(\.[A-Za-z_$][\w$-]*|\[\d+\])*$/;

/** `$.a.b[0].c`: the JSONPath subset the HTTP executors read responses with. */
export const jsonPathSchema = z
  .string()
  .regex(JSON_PATH, 'expected a JSON path like "$.queue.pending" or "$.items[0].status" (dots and [index] only)');

function placeholderProblems(template: string, allowed: readonly string[]): string | null {
  for (const m of template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!allowed.includes(m[1]!)) return `unknown placeholder {{${m[1]}}}: use ${allowed.map((p) => `{{${p}}}`).join(', ')}`;
  }
  return null;
}

/** An http(s) URL, possibly with {{placeholders}} (checked as a URL with them filled in). */
function urlTemplateSchema(allowed: readonly string[]) {
  return z
    .string()
    .min(1, 'expected an http(s) URL')
    .superRefine((template, ctx) => {
      const problem = placeholderProblems(template, allowed);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', message: problem });
        return;
      }
      const filled = template.replace(/\{\{[^}]*\}\}/g, 'x');
      let url: URL;
      try {
        url = new URL(filled);
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected an http(s) URL like "https://api.staging.example.com/admin/status", got ${JSON.stringify(template)}` });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `expected an http or https URL, got ${url.protocol.replace(':', '')}` });
      }
    });
}

/** A JSON body template: any JSON, whose strings may hold {{placeholders}}. */
const bodyTemplateSchema = z.unknown().superRefine((body, ctx) => {
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      const problem = placeholderProblems(value, HTTP_PLACEHOLDERS);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, path });
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(body, []);
});

/** Fields every HTTP executor has: the bearer token and how requests are retried. */
function httpClientFields(secrets: SecretContext) {
  return {
    /** Sent as `Authorization: Bearer …`; from env or a file, never written into the config. */
    token: secretSchema(secrets).nullable().default(null),
    /** One request (connect + answer) may take this long before it counts as a connection error. */
    requestTimeout: durationSchema({ positive: true }).prefault('30s'),
    /** A 5xx answer or a connection error is tried again this many times… */
    retries: z.number().int('expected a whole number').min(0).max(20).default(3),
    /** …after this delay, doubled on each further retry. */
    retryDelay: durationSchema().prefault('1s'),
  };
}

const conditionValue = z.union([z.number(), z.string(), z.boolean(), z.null()], { error: 'expected a number, text, true/false or null' });

/** drain: pause the deployed API, wait until its status says the queue is empty, resume it after deploy. */
export function httpDrainStageSchema(defaultTimeout: string, secrets: SecretContext) {
  return z.strictObject({
    executor: z.literal('http'),
    /** How long to wait for the condition; then `onTimeout` decides. */
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    /** POSTed first: the deployed API stops taking work. */
    pauseUrl: urlTemplateSchema(HTTP_PLACEHOLDERS),
    /** GETted every `interval` until `until` holds. */
    statusUrl: urlTemplateSchema(HTTP_PLACEHOLDERS),
    /** POSTed by the deploy stage once deploy finished (or by drain itself when it fails); null: never. */
    resumeUrl: urlTemplateSchema(HTTP_PLACEHOLDERS).nullable().default(null),
    until: z.strictObject({
      path: jsonPathSchema,
      op: z.enum(COMPARISON_OPERATORS, { error: `expected one of ${COMPARISON_OPERATORS.join(' ')}` }).default('=='),
      value: conditionValue,
    }),
    interval: durationSchema({ positive: true }).prefault('5s'),
    /** fail: the stage fails (deploy does not run); proceed: deploy goes on with work still queued. */
    onTimeout: z.enum(['fail', 'proceed'], { error: 'expected "fail" or "proceed"' }).default('fail'),
    ...httpClientFields(secrets),
  });
}

const countCondition = z
  .string()
  .regex(/^\s*(==|!=|<=|>=|<|>)\s*-?\d+\s*$/, 'expected a comparison with a whole number, like ">0" or ">=3"');

/** One test build or reference test run submitted to the deployed API. */
const submissionSchema = z
  .strictObject({
    name: z.string().min(1, 'expected a name for this submission'),
    url: urlTemplateSchema(HTTP_PLACEHOLDERS),
    method: z.enum(['POST', 'PUT'], { error: 'expected POST or PUT' }).default('POST'),
    /** JSON sent; strings may hold placeholders ("{{components}}" alone becomes the list). */
    body: bodyTemplateSchema.default({}),
    /** Where the answer holds the URL to poll for the result (relative URLs resolve against `url`)… */
    resultUrlPath: jsonPathSchema.nullable().default(null),
    /** …or where it holds an id that `pollUrl` ({{id}}) turns into that URL. */
    idPath: jsonPathSchema.default('$.id'),
    pollUrl: urlTemplateSchema(HTTP_POLL_PLACEHOLDERS).nullable().default(null),
  })
  .superRefine((submission, ctx) => {
    if (submission.resultUrlPath === null && submission.pollUrl === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['pollUrl'],
        message: 'say where to poll for the result: resultUrlPath (a JSON path to a URL in the answer) or pollUrl (a URL template with {{id}})',
      });
    }
    if (submission.resultUrlPath !== null && submission.pollUrl !== null) {
      ctx.addIssue({ code: 'custom', path: ['pollUrl'], message: 'give resultUrlPath or pollUrl, not both' });
    }
  });

/** test-kernel: submit test builds and reference tests to the deployed API, poll each for its result. */
export function httpTestKernelStageSchema(defaultTimeout: string, secrets: SecretContext) {
  return z.strictObject({
    executor: z.literal('http'),
    /** All submissions together may take this long; then the stage fails with what was collected. */
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    interval: durationSchema({ positive: true }).prefault('10s'),
    submissions: z.array(submissionSchema).min(1, 'expected at least one submission (name, url, …)'),
    /** Where a result answer holds each value. */
    results: z
      .strictObject({
        status: jsonPathSchema.default('$.status'),
        passed: jsonPathSchema.default('$.passed'),
        failed: jsonPathSchema.default('$.failed'),
        skipped: jsonPathSchema.default('$.skipped'),
        url: jsonPathSchema.default('$.url'),
      })
      .prefault({}),
    /** A result whose status is one of these is finished; anything else is polled again. */
    doneStatuses: z.array(z.string().min(1)).min(1).default(['passed', 'failed', 'error', 'completed', 'done', 'succeeded', 'success', 'cancelled']),
    /** A result with one of these statuses fails the stage whatever its counts. */
    errorStatuses: z.array(z.string().min(1)).default(['error', 'cancelled']),
    /** The stage fails when any of these holds for the totals, e.g. { failed: ">0" }. */
    failWhen: z
      .strictObject({ passed: countCondition.optional(), failed: countCondition.optional(), skipped: countCondition.optional() })
      .default({ failed: '>0' }),
    ...httpClientFields(secrets),
  });
}
