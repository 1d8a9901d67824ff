import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Every route behind it needs `Authorization: Bearer <token>`; compared in constant time. */
export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft"').json({ error: 'missing bearer token' });
      return;
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="stagecraft", error="invalid_token"').json({ error: 'invalid token' });
      return;
    }
    next();
  };
}
