import type { RequestHandler } from 'express';
import type { AuthFailureLimit } from './auth-failure-limit.js';
import { clientAddress } from './client-address.js';

/**
 * `Authorization: Bearer <token>` of any dashboard user (apps.dashboard.token or users[].token);
 * the token's login is who acts (res.locals.login). Wrong tokens count like the other bearer checks.
 */
export function requireLoginToken(loginOf: (token: string) => string | null, failures: AuthFailureLimit): RequestHandler {
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
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft"').json({ error: 'missing bearer token' });
      return;
    }
    const login = loginOf(match[1]);
    if (!login) {
      await failures.recordFailure(address);
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft", error="invalid_token"').json({ error: 'invalid token' });
      return;
    }
    res.locals['login'] = login;
    next();
  };
}
