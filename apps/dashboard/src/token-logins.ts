import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Who a login token belongs to; compared in constant time against every known token. */
export function tokenLogins(entries: Array<{ login: string; token: string }>): (token: string) => string | null {
  const known = entries.filter((e) => e.token.length > 0).map((e) => ({ login: e.login, digest: digest(e.token) }));
  return (token) => {
    const given = digest(token);
    let found: string | null = null;
    for (const k of known) if (timingSafeEqual(given, k.digest) && found === null) found = k.login;
    return found;
  };
}
