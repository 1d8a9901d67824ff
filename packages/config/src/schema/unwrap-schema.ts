import type { z } from 'zod';
import { isDurationSchema } from './duration-schema.js';

type Schema = z.core.$ZodType;

/**
 * The schema that decides a value's shape, past defaults, nullables and transforms. Durations stay
 * whole (they read as text), and a preprocess step is skipped for the schema it feeds.
 */
export function unwrapSchema(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (isDurationSchema(current)) return current;
    const def = current._zod.def;
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        current = (def as z.core.$ZodDefaultDef).innerType;
        break;
      case 'pipe': {
        const { in: input, out } = def as z.core.$ZodPipeDef;
        current = input._zod.def.type === 'transform' ? out : input;
        break;
      }
      case 'lazy':
        current = (def as z.core.$ZodLazyDef).getter();
        break;
      default:
        return current;
    }
  }
}
