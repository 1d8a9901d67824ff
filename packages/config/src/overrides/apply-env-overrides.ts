import type { z } from 'zod';
import { acceptedKinds } from '../schema/accepted-kinds.js';
import { defaultInput } from '../schema/default-input.js';
import { coerceEnvValue } from './coerce-env-value.js';
import { OVERRIDE_PREFIX, SEGMENT_SEPARATOR } from './env-segment.js';
import { NON_CONFIG_ENV_VARS } from './non-config-env-vars.js';
import { resolveOverridePath, type ConfigPath } from './resolve-override-path.js';
import { setAtPath } from './set-at-path.js';

/**
 * Which variable set which config path, so a problem there can name the variable. `path` is where
 * the value went; `scope` is the outermost mapping or list the override had to create (else
 * `path`), since everything inside that is there only because of the variable.
 */
export interface OverrideSource {
  path: ConfigPath;
  scope: ConfigPath;
  variable: string;
}

export interface AppliedOverrides {
  raw: Record<string, unknown>;
  sources: OverrideSource[];
  problems: string[];
}

/** Variables outside the STAGECRAFT_ namespace that platforms conventionally set. */
const CONVENTIONAL_VARIABLES: Readonly<Record<string, string[]>> = { REDIS_URL: ['REDIS', 'URL'] };

function overridesIn(env: NodeJS.ProcessEnv): Array<{ variable: string; text: string }> {
  const conventional = Object.keys(CONVENTIONAL_VARIABLES).filter((name) => (env[name] ?? '') !== '');
  // Sorted, so the result and the order of problems never depend on how the environment was built.
  const prefixed = Object.keys(env)
    .filter((name) => name.startsWith(OVERRIDE_PREFIX) && !NON_CONFIG_ENV_VARS.has(name))
    .sort();
  // STAGECRAFT_ variables come last so they win over the conventional ones.
  return [...conventional, ...prefixed].flatMap((variable) => {
    const text = env[variable];
    return text === undefined ? [] : [{ variable, text }];
  });
}

/**
 * Applies STAGECRAFT_<PATH> variables (segments joined by "__", keys in UPPER_SNAKE) and REDIS_URL
 * to the raw config before validation, so validation problems can name the variable responsible.
 */
export function applyEnvOverrides(schema: z.core.$ZodType, raw: Record<string, unknown>, env: NodeJS.ProcessEnv): AppliedOverrides {
  const result: AppliedOverrides = { raw: structuredClone(raw), sources: [], problems: [] };
  for (const { variable, text } of overridesIn(env)) {
    const conventional = CONVENTIONAL_VARIABLES[variable];
    const segments = variable.slice(OVERRIDE_PREFIX.length).split(SEGMENT_SEPARATOR);
    if (conventional === undefined && segments.some((segment) => segment === '')) {
      result.problems.push(`${variable}: not a config override: separate the parts of the path with "__", like STAGECRAFT_POLICY__SETTLE`);
      continue;
    }
    const resolved =
      conventional !== undefined ? resolveOverridePath(schema, conventional, result.raw) : resolveOverridePath(schema, segments, result.raw);
    if ('error' in resolved) {
      result.problems.push(`${variable}: ${resolved.error}`);
      continue;
    }
    const { path, schemas } = resolved;
    const coerced = coerceEnvValue(text, acceptedKinds(schemas[schemas.length - 1] ?? schema));
    if ('error' in coerced) {
      result.problems.push(`${variable}: ${coerced.error}`);
      continue;
    }
    // A section the file leaves out starts from its default, so STAGECRAFT_ENVIRONMENTS__QA__AUTO adds qa to the default environments.
    const createdFrom = setAtPath(result.raw, path, coerced.value, (index) => (schemas[index] ? defaultInput(schemas[index]) : undefined));
    result.sources.push({ path, scope: path.slice(0, createdFrom + 1), variable });
  }
  return result;
}
