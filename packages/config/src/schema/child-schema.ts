import type { z } from 'zod';
import { unwrapSchema } from './unwrap-schema.js';

type Schema = z.core.$ZodType;

/** The schema of `key` inside a value of `schema`: an object field, a union option's field, a record value or a list item. */
export function childSchema(schema: Schema, key: string | number): Schema | null {
  const node = unwrapSchema(schema);
  const def = node._zod.def;
  switch (def.type) {
    case 'object': {
      const shape = (def as z.core.$ZodObjectDef).shape;
      return typeof key === 'string' && Object.hasOwn(shape, key) ? (shape[key] ?? null) : null;
    }
    case 'union':
      for (const option of (def as z.core.$ZodUnionDef).options) {
        const child = childSchema(option, key);
        if (child !== null) return child;
      }
      return null;
    case 'record':
      return typeof key === 'string' ? (def as z.core.$ZodRecordDef).valueType : null;
    case 'array':
      return typeof key === 'number' ? (def as z.core.$ZodArrayDef).element : null;
    default:
      return null;
  }
}

/** The field names a value of `schema` may have (all options' fields for a union); empty when it has none. */
export function fieldNames(schema: Schema): string[] {
  const node = unwrapSchema(schema);
  const def = node._zod.def;
  if (def.type === 'object') return Object.keys((def as z.core.$ZodObjectDef).shape);
  if (def.type === 'union') return [...new Set((def as z.core.$ZodUnionDef).options.flatMap(fieldNames))];
  return [];
}

/** The schema at a path into the config, or null where the path leaves it. */
export function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | null {
  let current: Schema | null = schema;
  for (const key of path) {
    if (current === null || typeof key === 'symbol') return null;
    current = childSchema(current, key);
  }
  return current;
}
