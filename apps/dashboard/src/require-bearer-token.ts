import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import { clientAddress } from './client-address.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Every route behind it needs `Authorization: Bearer <token>`; compared in constant time. Wrong
 * tokens count against the client's address, and an address over the limit is refused (429) even
 * with the right token, so guessing stops there.
 */
export function requireBearerToken(token: string, failures: AuthFailureLimit): RequestHandler {
  const expected = digest(token);
  return async (req, res, next) => {
    const address = clientAddress(req);
    const retryAfter = await failures.retryAfter(address);
    if (retryAfter !== null) {
      res
        .status(429)
        .set('Retry-After', String(retryAfter))
        .json({ error: `too many failed authentication attempts from ${address}: try again in ${retryAfter} seconds` });
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft"').json({ error: 'missing bearer token' });
      return;
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      await failures.recordFailure(address);
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft", error="invalid_token"').json({ error: 'invalid token' });
      return;
    }
    next();
  };
}
