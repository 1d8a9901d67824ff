import type { z } from 'zod';
import { isDurationSchema } from './duration-schema.js';

type Schema = z.core.$ZodType;

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'string-list' | 'list' | 'mapping';

/** What kinds of value a field takes, so text from an env var can be turned into the right one. */
export function acceptedKinds(schema: Schema, into: Set<ValueKind> = new Set()): Set<ValueKind> {
  if (isDurationSchema(schema)) return into.add('string');
  const def = schema._zod.def;
  switch (def.type) {
    case 'nullable':
      into.add('null');
      return acceptedKinds((def as z.core.$ZodNullableDef).innerType, into);
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return acceptedKinds((def as z.core.$ZodDefaultDef).innerType, into);
    case 'pipe': {
      const { in: input, out } = def as z.core.$ZodPipeDef;
      return acceptedKinds(input._zod.def.type === 'transform' ? out : input, into);
    }
    case 'union':
      for (const option of (def as z.core.$ZodUnionDef).options) acceptedKinds(option, into);
      return into;
    case 'string':
    case 'enum':
      return into.add('string');
    case 'number':
      return into.add('number');
    case 'boolean':
      return into.add('boolean');
    case 'null':
      return into.add('null');
    case 'literal':
      for (const value of (def as z.core.$ZodLiteralDef<z.core.util.Literal>).values) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') into.add(typeof value as ValueKind);
        else if (value === null) into.add('null');
      }
      return into;
    case 'array':
      return into.add(acceptedKinds((def as z.core.$ZodArrayDef).element).has('string') ? 'string-list' : 'list');
    case 'object':
    case 'record':
      return into.add('mapping');
    default:
      return into;
  }
}
