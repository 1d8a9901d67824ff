import type { PromotionRoles } from './promotion-service.js';

/** Approvers and admins from the config's logins only (teams need the GitHub App: GitHubRoles). */
export function staticPromotionRoles(trust: { approvers: string[]; admins: string[] }): PromotionRoles {
  const listed = (list: string[], login: string) => list.some((l) => l.toLowerCase() === login.toLowerCase());
  return {
    isApprover: async (login) => listed(trust.approvers, login),
    isAdmin: async (login) => listed(trust.admins, login),
  };
}
