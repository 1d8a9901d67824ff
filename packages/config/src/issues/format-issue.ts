import type { z } from 'zod';
import { closestName } from '../closest-name.js';
import type { OverrideSource } from '../overrides/apply-env-overrides.js';
import { fieldNames, schemaAt } from '../schema/child-schema.js';

type Path = readonly PropertyKey[];

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => key === path[i]);
}

function dotted(path: Path): string {
  return path.map(String).join('.');
}

function line(source: string, path: Path, reason: string): string {
  return path.length === 0 ? `${source}: ${reason}` : `${source}: ${dotted(path)}: ${reason}`;
}

/**
 * One zod issue → problem lines naming where the bad value came from: the env variable that set
 * it (or a value around it), else the file. An unknown-fields issue gives a line per field.
 */
export function formatIssue(issue: z.core.$ZodIssue, schema: z.core.$ZodType, file: string, overrides: readonly OverrideSource[]): string[] {
  const paths: Array<{ path: Path; reason: string }> =
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => {
          const guess = closestName(key, fieldNames(schemaAt(schema, issue.path) ?? schema));
          // A field of another executor of the same stage is its own closest name.
          const hint = guess === key ? ' for this executor' : guess !== null ? ` (did you mean "${guess}"?)` : '';
          return { path: [...issue.path, key], reason: `unknown field${hint}` };
        })
      : [{ path: issue.path, reason: issue.message }];
  return paths.map(({ path, reason }) => {
    const owner = overrides.filter((o) => startsWith(path, o.scope)).sort((a, b) => b.scope.length - a.scope.length)[0];
    if (owner !== undefined) return owner.path.length === path.length && startsWith(path, owner.path) ? `${owner.variable}: ${reason}` : line(owner.variable, path, reason);
    const within = overrides.filter((o) => startsWith(o.scope, path)).map((o) => o.variable);
    return line(file, path, within.length > 0 ? `${reason} (with ${within.join(', ')} applied)` : reason);
  });
}
