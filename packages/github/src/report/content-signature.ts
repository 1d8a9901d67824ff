import { createHash } from 'node:crypto';

/** A short hash of what the notifier wrote to GitHub, so writing the same again is skipped. */
export function contentSignature(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
