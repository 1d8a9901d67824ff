import { randomBytes, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { parseCookies } from './parse-cookies.js';

export const LOGIN_CSRF_COOKIE = 'stagecraft_login_csrf';

/** How long a login page's form can be sent back. */
const LOGIN_CSRF_TTL_MS = 30 * 60_000;

/** Over HTTPS the `__Host-` prefix stops a sibling subdomain from planting a value of its own (browsers enforce it). */
const cookieName = (secure: boolean) => (secure ? `__Host-${LOGIN_CSRF_COOKIE}` : LOGIN_CSRF_COOKIE);

/**
 * Login CSRF (double submit): the login page gets a random value both in a cookie only this site can
 * send back (HttpOnly, SameSite=Strict) and in its form; a login posted from another site cannot
 * know it, so it cannot log the browser into someone else's session. Returns the value for the form.
 */
export function issueLoginCsrf(res: express.Response, secure: boolean): string {
  const value = randomBytes(32).toString('base64url');
  res.cookie(cookieName(secure), value, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: LOGIN_CSRF_TTL_MS });
  return value;
}

/** Whether the posted form carries the value of the login CSRF cookie. */
export function loginCsrfMatches(req: express.Request, secure: boolean): boolean {
  const cookie = parseCookies(req.get('cookie'))[cookieName(secure)] ?? '';
  const field: unknown = req.body?._csrf;
  if (typeof field !== 'string' || cookie.length < 20) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** After a login the value has done its job. */
export function clearLoginCsrf(res: express.Response, secure: boolean): void {
  res.clearCookie(cookieName(secure), { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}
