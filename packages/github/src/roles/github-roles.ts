import type { Redis } from 'ioredis';
import type { GitRequestClient } from '../compose/compose-staging.js';
import type { RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import type { Role } from '@stagecraft/policy';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import type { PromotionRoles, RoleResolver } from '@stagecraft/engine';
import { roleOf, type TrustLists } from '@stagecraft/engine';

export type RepositoryPermission = 'admin' | 'maintain' | 'write';

export interface GitHubRolesSettings {
  trust: TrustLists & { approvers?: string[]; admins?: string[] };
  /** The configured repositories and their installation clients. */
  github: Pick<RepositoryClientSource, 'repositories' | 'clientFor'>;
  /** Collaborators of the first configured repository with one of these permissions are maintainers. */
  maintainerPermissions: RepositoryPermission[];
  /** Members of the first configured repository's owner (its organisation) are trusted authors. */
  trustOrgMembers: boolean;
  redis: Redis;
  keys: StagecraftKeys;
  /** How long an answer from GitHub is believed; a removed maintainer loses the role after this. */
  cacheTtlMs: number;
  logger: Logger;
}

/**
 * Roles from the config's logins, then from GitHub: membership of the teams listed in the config
 * ("org/team"), the collaborator permission, and organisation membership when enabled. Answers
 * are cached in Redis; when GitHub cannot be asked the login keeps only its config role, so an
 * outage never grants anything.
 *
 * One role holds across every configured repository (the trust lists are one list), so what is
 * asked of GitHub has to come from one place: a team is asked through the installation on its
 * organisation (that of a configured repository it owns; else the first repository's, which may
 * well be refused), while the collaborator permission and the organisation membership are those of
 * the FIRST configured repository. Counting a permission on any configured repository would let an
 * admin of the smallest repository deploy every other one; list such people or teams instead.
 */
export class GitHubRoles implements RoleResolver, PromotionRoles {
  constructor(private readonly s: GitHubRolesSettings) {}

  /** trust.approvers: a listed login, or an active member of a listed "org/team". */
  async isApprover(login: string): Promise<boolean> {
    return this.listedOrInTeam('approver', login, this.s.trust.approvers ?? []);
  }

  /** trust.admins: a listed login, or an active member of a listed "org/team". */
  async isAdmin(login: string): Promise<boolean> {
    return this.listedOrInTeam('admin', login, this.s.trust.admins ?? []);
  }

  /** Cached like roles; when GitHub cannot be asked only the listed logins count, so an outage grants nothing. */
  private async listedOrInTeam(list: 'approver' | 'admin', login: string, entries: string[]): Promise<boolean> {
    if (entries.some((e) => !e.includes('/') && e.toLowerCase() === login.toLowerCase())) return true;
    const teams = entries.filter((e) => e.includes('/'));
    if (teams.length === 0) return false;
    const key = this.s.keys.role(`${list}:${login.toLowerCase()}`);
    const cached = await this.s.redis.get(key);
    if (cached === 'yes' || cached === 'no') return cached === 'yes';
    try {
      const member = await this.inAnyTeam(login, teams);
      await this.s.redis.set(key, member ? 'yes' : 'no', 'PX', this.s.cacheTtlMs);
      return member;
    } catch (err) {
      this.s.logger.warn({ login, list, err: (err as Error).message }, `could not ask GitHub whether the login is in a trust.${list}s team; counting the listed logins only`);
      return false;
    }
  }

  async roleOf(login: string): Promise<Role> {
    const listed = roleOf(login, this.s.trust);
    if (listed === 'maintainer') return listed;
    const key = this.s.keys.role(login.toLowerCase());
    const cached = await this.s.redis.get(key);
    if (cached === 'maintainer' || cached === 'trusted' || cached === 'untrusted') return cached;
    try {
      const role = await this.ask(login, listed);
      await this.s.redis.set(key, role, 'PX', this.s.cacheTtlMs);
      return role;
    } catch (err) {
      this.s.logger.warn({ login, err: (err as Error).message }, 'could not ask GitHub for a role; using the config lists only');
      return listed;
    }
  }

  private async ask(login: string, listed: Role): Promise<Role> {
    if (await this.inAnyTeam(login, this.s.trust.maintainers)) return 'maintainer';
    if (this.s.maintainerPermissions.length > 0) {
      const permission = await this.permission(login);
      if (permission && (this.s.maintainerPermissions as string[]).includes(permission)) return 'maintainer';
    }
    if (listed === 'trusted') return listed;
    if (await this.inAnyTeam(login, this.s.trust.trusted)) return 'trusted';
    if (this.s.trustOrgMembers && (await this.orgMember(login))) return 'trusted';
    return 'untrusted';
  }

  private async inAnyTeam(login: string, entries: string[]): Promise<boolean> {
    for (const entry of entries) {
      const [org, team] = entry.split('/');
      if (!org || !team) continue;
      const client = await this.clientForOrg(org);
      const membership = await orNotFound(client.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', { org, team_slug: team, username: login }));
      if (membership?.data?.state === 'active') return true;
    }
    return false;
  }

  /** GitHub's role name (admin, maintain, write, triage, read) on the first repository; its legacy `permission` folds maintain into write. */
  private async permission(login: string): Promise<string | null> {
    const first = this.first();
    const client: GitRequestClient = await this.s.github.clientFor(first);
    const answer = await orNotFound(client.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repositoryCoordinates(first), username: login }));
    return (answer?.data?.role_name as string | undefined) ?? (answer?.data?.permission as string | undefined) ?? null;
  }

  /** A member of the first repository's owner. */
  private async orgMember(login: string): Promise<boolean> {
    const { owner } = repositoryCoordinates(this.first());
    const client: GitRequestClient = await this.s.github.clientFor(this.first());
    const answer = await orNotFound(client.request('GET /orgs/{org}/members/{username}', { org: owner, username: login }));
    return answer !== null && answer.status === 204;
  }

  /** An installation sees its own organisation's teams: the one of a configured repository the organisation owns. */
  private async clientForOrg(org: string): Promise<GitRequestClient> {
    const owned = this.s.github.repositories.find((r) => repositoryCoordinates(r.name).owner.toLowerCase() === org.toLowerCase());
    return this.s.github.clientFor(owned?.name ?? this.first());
  }

  private first(): string {
    return this.s.github.repositories[0]!.name;
  }
}

async function orNotFound<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (err) {
    const status = (err as { status?: number }).status;
    // 404: not a member / not a collaborator; 302 from /members means "not visible to you".
    if (status === 404 || status === 302) return null;
    throw err;
  }
}
