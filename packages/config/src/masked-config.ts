import { redactUrl } from './redact-url.js';
import { Secret } from './secret.js';
import type { StagecraftConfig } from './types.js';

function mask(value: unknown): unknown {
  if (value instanceof Secret) return value.toJSON();
  // Any URL-valued field (redis.url, github.baseUrl, executor URLs…) may carry user:password.
  if (typeof value === 'string' && value.includes('://')) return redactUrl(value);
  if (Array.isArray(value)) return value.map(mask);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mask(inner)]));
  return value;
}

/**
 * The config as plain JSON-able data with every secret replaced by "***" (or "(unset)") and the
 * password of every URL by "***"; durations stay ms.
 */
export function maskedConfig(config: StagecraftConfig): unknown {
  return mask(config);
}
