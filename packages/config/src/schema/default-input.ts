import type { z } from 'zod';

/** The value a field starts from when it is absent (its default or prefault), or undefined. */
export function defaultInput(schema: z.core.$ZodType): unknown {
  const def = schema._zod.def;
  if (def.type === 'default' || def.type === 'prefault') return structuredClone((def as z.core.$ZodPrefaultDef).defaultValue);
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') return defaultInput((def as z.core.$ZodOptionalDef).innerType);
  return undefined;
}
