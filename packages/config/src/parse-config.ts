import { ConfigError } from './errors/config-error.js';
import { describeIssue } from './issues/describe-issue.js';
import { describeValue } from './issues/describe-value.js';
import { formatIssue } from './issues/format-issue.js';
import { applyEnvOverrides } from './overrides/apply-env-overrides.js';
import { createConfigSchema } from './schema/config-schema.js';
import type { StagecraftConfig } from './types.js';

export interface ParseConfigOptions {
  /** Where relative `{ file: PATH }` secrets resolve: the config file's directory. Default: the working directory. */
  baseDir?: string;
}

/**
 * Validates already-parsed config data (`source` names it in messages, e.g. "stagecraft.yaml"),
 * with env overrides applied first, and resolves its secrets. Throws a ConfigError listing every
 * problem.
 */
export function parseConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env, options: ParseConfigOptions = {}): StagecraftConfig {
  const schema = createConfigSchema({ env, baseDir: options.baseDir ?? process.cwd() });
  const data = raw ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([`${source}: expected a mapping of settings at the top level, got ${describeValue(data)}`]);
  }
  const overridden = applyEnvOverrides(schema, data as Record<string, unknown>, env);
  const result = schema.safeParse(overridden.raw, { error: describeIssue, reportInput: true });
  const problems = [
    ...overridden.problems,
    ...(result.success ? [] : result.error.issues.flatMap((issue) => formatIssue(issue, schema, source, overridden.sources))),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
