import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import { requireLoginToken } from './require-login-token.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Every route behind it needs `Authorization: Bearer <token>` of the JSON API; compared in constant
 * time. Wrong tokens count against the client's address, and an address over the limit is refused
 * (429) even with the right token, so guessing stops there (see requireLoginToken).
 */
export function requireBearerToken(token: string, failures: AuthFailureLimit): RequestHandler {
  const expected = digest(token);
  return requireLoginToken((given) => (timingSafeEqual(digest(given), expected) ? 'api' : null), failures);
}
