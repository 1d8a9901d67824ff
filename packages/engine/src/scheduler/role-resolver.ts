import type { Role } from '@stagecraft/policy';
import { roleOf, type TrustLists } from './trust-lists.js';

/** Who someone is to Stagecraft: maintainer, trusted or untrusted. */
export interface RoleResolver {
  roleOf(login: string): Promise<Role>;
}

/** Roles from the config's lists of logins only (no GitHub App to ask about teams or permissions). */
export function staticRoles(trust: TrustLists): RoleResolver {
  return { roleOf: async (login) => roleOf(login, trust) };
}

/** Resolves each login once and answers synchronously after, for code that decides without I/O. */
export async function resolveRoles(resolver: RoleResolver, logins: Array<string | null | undefined>): Promise<Map<string, Role>> {
  const unique = [...new Set(logins.filter((l): l is string => !!l).map((l) => l.toLowerCase()))];
  const roles = await Promise.all(unique.map(async (l) => [l, await resolver.roleOf(l)] as const));
  return new Map(roles);
}
