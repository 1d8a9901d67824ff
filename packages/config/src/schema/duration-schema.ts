import { z } from 'zod';
import { InvalidDurationError } from '../errors/invalid-duration-error.js';
import { parseDuration } from '../parse-duration.js';

const durationSchemas = new WeakSet<z.core.$ZodType>();

/**
 * A duration written "5m", "1h30m" or as a number of milliseconds; parsed to milliseconds. `positive`
 * rejects 0 where zero would mean "never" or "spin" (timeouts, intervals).
 */
export function durationSchema(options: { positive?: boolean } = {}) {
  const schema = z
    .union([z.string(), z.number()], { error: (issue) => new InvalidDurationError(issue.input).message })
    .transform((value, ctx) => {
      let ms: number;
      try {
        ms = parseDuration(value);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: (err as Error).message, input: value });
        return z.NEVER;
      }
      if (options.positive === true && ms === 0) {
        ctx.issues.push({ code: 'custom', message: `must be longer than 0ms, got ${JSON.stringify(value)}`, input: value });
        return z.NEVER;
      }
      return ms;
    });
  durationSchemas.add(schema);
  return schema;
}

/** Whether a (fully unwrapped) schema is one `durationSchema` made, so printing can turn ms back into "5m". */
export function isDurationSchema(schema: z.core.$ZodType): boolean {
  return durationSchemas.has(schema);
}
