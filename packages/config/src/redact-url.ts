const MASK = '***';
/** `scheme://user:password@`: what is left to mask when a text does not parse as a URL. */
const USERINFO_PASSWORD = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/?#@]*:)[^@]*@/;

/**
 * The URL with the password of its userinfo replaced by "***" (`redis://:***@host:6379`), so it
 * can be printed or logged. A text that does not parse as a URL is masked by pattern, so a password
 * holding a character the URL parser trips on is still hidden; any other text comes back as it is.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = MASK;
    return parsed.toString();
  } catch {
    return url.replace(USERINFO_PASSWORD, `$1${MASK}@`);
  }
}
