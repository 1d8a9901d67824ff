import { z } from 'zod';
import { closestName } from '../closest-name.js';
import { childSchema, fieldNames } from '../schema/child-schema.js';
import { unwrapSchema } from '../schema/unwrap-schema.js';
import { overrideVariable, toEnvSegment } from './env-segment.js';

type Schema = z.core.$ZodType;
export type ConfigPath = (string | number)[];

/** `schemas[i]` is the schema of the value at `path[i]`; the last one is the overridden field's. */
export type ResolvedOverride = { path: ConfigPath; schemas: Schema[] } | { error: string };

function dotted(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'the top level' : path.join('.');
}

function recordKey(keyType: Schema, segment: string, existing: unknown): string | null {
  if (existing !== null && typeof existing === 'object') {
    const match = Object.keys(existing).find((key) => key === segment || toEnvSegment(key) === segment);
    if (match !== undefined) return match;
  }
  const lower = segment.toLowerCase();
  const candidates = [segment, lower, lower.replace(/_/g, '-')];
  return candidates.find((candidate) => z.safeParse(keyType, candidate).success) ?? null;
}

/**
 * Maps the segments of an override variable (POLICY, SETTLE_MAX) onto config keys (policy,
 * settleMax) by following the schema, so only real fields can be overridden. Mapping keys (an
 * environment's name, a stage's env variable) match a key the file already has, else the segment
 * as written or lowercased, whichever the key rule accepts; list items are chosen by index.
 */
export function resolveOverridePath(root: Schema, segments: readonly string[], raw: unknown): ResolvedOverride {
  const path: ConfigPath = [];
  const schemas: Schema[] = [];
  let schema = root;
  let existing: unknown = raw;
  for (const segment of segments) {
    const node = unwrapSchema(schema);
    const type = node._zod.def.type;
    let key: string | number | null;
    if (type === 'object' || type === 'union') {
      const names = fieldNames(node);
      key = names.find((name) => toEnvSegment(name) === segment) ?? null;
      if (key === null) {
        const guess = closestName(segment, names.map(toEnvSegment));
        const field = names.find((name) => toEnvSegment(name) === guess);
        const hint = field !== undefined ? ` (did you mean ${overrideVariable([...path, field])}?)` : names.length > 0 ? ` (fields there: ${names.join(', ')})` : '';
        return { error: `no config field ${dotted([...path, segment.toLowerCase()])} to override${hint}` };
      }
    } else if (type === 'record') {
      key = recordKey((node._zod.def as z.core.$ZodRecordDef).keyType, segment, existing);
      if (key === null) return { error: `"${segment}" is not a valid key for ${dotted(path)}` };
    } else if (type === 'array') {
      const length = Array.isArray(existing) ? existing.length : 0;
      if (!/^\d+$/.test(segment) || Number(segment) > length) {
        return { error: `${dotted(path)} is a list: name an item by its index (0 to ${length}), or set the whole list as JSON with ${overrideVariable(path)}` };
      }
      key = Number(segment);
    } else {
      return { error: `${dotted(path)} has no fields to override below it: set ${overrideVariable(path)} instead` };
    }
    const child = childSchema(node, key);
    if (child === null) return { error: `no config field ${dotted([...path, key])} to override` };
    path.push(key);
    schemas.push(child);
    schema = child;
    existing = existing !== null && typeof existing === 'object' ? (existing as Record<string | number, unknown>)[key] : undefined;
  }
  return { path, schemas };
}
