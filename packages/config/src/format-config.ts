import { stringify } from 'yaml';
import type { z } from 'zod';
import { formatDuration } from '@stagecraft/policy';
import { maskedConfig } from './masked-config.js';
import { childSchema } from './schema/child-schema.js';
import { createConfigSchema } from './schema/config-schema.js';
import { isDurationSchema } from './schema/duration-schema.js';
import { unwrapSchema } from './schema/unwrap-schema.js';
import type { StagecraftConfig } from './types.js';

// Only walked for its shape, never used to parse, so its secret context is never read.
const shapeSchema = createConfigSchema({ env: {}, baseDir: '.' });

function durationsAsText(value: unknown, schema: z.core.$ZodType | null): unknown {
  if (schema !== null && typeof value === 'number' && isDurationSchema(unwrapSchema(schema))) return formatDuration(value, { exact: true });
  if (Array.isArray(value)) return value.map((item, index) => durationsAsText(item, schema && childSchema(schema, index)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, durationsAsText(inner, schema && childSchema(schema, key))]));
  }
  return value;
}

/** The config as stagecraft.yaml would write it: secrets masked, durations as "5m". */
export function formatConfig(config: StagecraftConfig): string {
  return stringify(durationsAsText(maskedConfig(config), shapeSchema), { lineWidth: 0 });
}
