import type { Role } from '@stagecraft/policy';

export interface TrustLists {
  maintainers: string[];
  trusted: string[];
  approvers: string[];
}

/** GitHub logins compare case-insensitively. */
export function roleOf(login: string, trust: TrustLists): Role {
  const l = login.toLowerCase();
  if (trust.maintainers.some((m) => m.toLowerCase() === l)) return 'maintainer';
  if (trust.trusted.some((t) => t.toLowerCase() === l)) return 'trusted';
  return 'untrusted';
}
