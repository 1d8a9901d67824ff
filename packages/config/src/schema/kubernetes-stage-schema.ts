import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { parseYamlText } from '../parse-yaml-text.js';
import { durationSchema } from './duration-schema.js';

/** What `imageTag` may hold: the cycle's values in braces, around characters a Docker tag allows. */
export const IMAGE_TAG_PLACEHOLDERS = ['sha', 'shortSha', 'cycleId', 'env'] as const;
/** What the build Job template's strings may hold, in double braces. */
export const JOB_TEMPLATE_PLACEHOLDERS = ['component', 'image', 'images', 'tag', 'context', 'sha', 'shortSha', 'cycleId', 'env', 'jobName'] as const;

const imageTagSchema = z
  .string()
  .min(1, 'expected an image tag template like "{sha}"')
  .superRefine((template, ctx) => {
    const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((name) => !(IMAGE_TAG_PLACEHOLDERS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholder {${unknown[0]}}: use ${IMAGE_TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
      return;
    }
    const literal = template.replace(/\{[^}]*\}/g, '');
    if (!/^[A-Za-z0-9_.-]*$/.test(literal)) {
      ctx.addIssue({ code: 'custom', message: `"${template}" would not be a valid image tag: outside placeholders use only letters, digits, "_", "." and "-"` });
    }
  });

/** deploy: set the cycle's images on the environment's Deployments and wait for their rollout. */
export function kubernetesDeployStageSchema(defaultTimeout: string) {
  return z.strictObject({
    executor: z.literal('kubernetes'),
    /** The whole stage, rollback included. */
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    /** One rollout (and the rollback after a failed one) may take this long. */
    rolloutTimeout: durationSchema({ positive: true }).prefault('10m'),
    pollInterval: durationSchema({ positive: true }).prefault('2s'),
    /** The tag rebuilt components' images get; the build stage must push the same. */
    imageTag: imageTagSchema.default('{sha}'),
  });
}

/** Problems of a build Job template, as paths inside it plus reasons. */
function jobTemplateProblems(job: Record<string, unknown>): Array<{ path: (string | number)[]; message: string }> {
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  if (job['apiVersion'] !== undefined && job['apiVersion'] !== 'batch/v1') {
    problems.push({ path: ['apiVersion'], message: `expected "batch/v1" (or nothing), got ${JSON.stringify(job['apiVersion'])}` });
  }
  if (job['kind'] !== undefined && job['kind'] !== 'Job') problems.push({ path: ['kind'], message: `expected "Job" (or nothing), got ${JSON.stringify(job['kind'])}` });
  const spec = job['spec'] as { template?: { spec?: { containers?: unknown } } } | undefined;
  const containers = spec?.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push({ path: ['spec', 'template', 'spec', 'containers'], message: 'a Job template needs at least one container (the builder, e.g. kaniko)' });
  }
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
        if (!(JOB_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
          problems.push({ path, message: `unknown placeholder {{${m[1]}}}: use ${JOB_TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` });
        }
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(job, []);
  return problems;
}

function readTemplateFile(path: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { error: `cannot read the Job template ${path} (${reason}): create it, or point this field at the Job's YAML or JSON` };
  }
  try {
    return { value: parseYamlText(text, path) };
  } catch (err) {
    return { error: err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message };
  }
}

const mapping = z.record(z.string(), z.unknown());

/** A batch/v1 Job written into the config, or `{ file: PATH }` (YAML or JSON, relative to the config file). */
function jobTemplateSchema(paths: { baseDir: string }) {
  return z
    .union([z.strictObject({ file: z.string().min(1, 'expected a file path') }), mapping], {
      error: (issue) => (issue.input === undefined ? 'required, but missing' : 'expected a Job as a mapping, or { file: PATH } naming its YAML or JSON'),
    })
    .transform((input, ctx) => {
      let job: Record<string, unknown>;
      let where: (string | number)[] = [];
      if (Object.keys(input).length === 1 && typeof input['file'] === 'string') {
        const path = resolve(paths.baseDir, input['file']);
        const read = readTemplateFile(path);
        if ('error' in read) {
          ctx.issues.push({ code: 'custom', message: read.error, input });
          return z.NEVER;
        }
        if (read.value === null || typeof read.value !== 'object' || Array.isArray(read.value)) {
          ctx.issues.push({ code: 'custom', message: `the Job template ${path} must hold a mapping (a batch/v1 Job)`, input });
          return z.NEVER;
        }
        job = read.value as Record<string, unknown>;
        where = ['file'];
      } else {
        job = input;
      }
      const problems = jobTemplateProblems(job);
      for (const problem of problems) {
        const inFile = where.length > 0 ? `in ${String(input['file'])} at ${problem.path.join('.') || 'the top'}: ` : '';
        ctx.issues.push({ code: 'custom', message: `${inFile}${problem.message}`, path: where.length > 0 ? where : problem.path, input });
      }
      return problems.length > 0 ? z.NEVER : job;
    });
}

/** build: one batch/v1 Job (e.g. kaniko) per rebuilt component, from a template. */
export function kubernetesBuildStageSchema(defaultTimeout: string, paths: { baseDir: string }) {
  return z.strictObject({
    executor: z.literal('kubernetes'),
    timeout: durationSchema({ positive: true }).prefault(defaultTimeout),
    pollInterval: durationSchema({ positive: true }).prefault('2s'),
    jobTemplate: jobTemplateSchema(paths),
    /** The tag the images are pushed with; deploy's imageTag must match. */
    imageTag: imageTagSchema.default('{sha}'),
    /** Kubernetes removes a finished Job after this long, should Stagecraft not get to delete it. */
    ttlSecondsAfterFinished: z.number().int('expected a whole number of seconds').min(0).default(3600),
    /** The last lines of each build's log kept in the stage result. */
    logTailLines: z.number().int().min(0).default(50),
  });
}
