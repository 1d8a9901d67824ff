import type { Redis } from 'ioredis';
import type { StagecraftConfig } from '@stagecraft/config';
import type { StagecraftKeys } from '@stagecraft/queue';
import type { Logger } from '@stagecraft/telemetry';
import { GitHubRoles } from './github-roles.js';
import type { RepositoryClientSource } from '../app/repository-clients.js';

/** Roles from the config's lists plus what the GitHub App can ask: teams, repository permission, org membership. */
export function githubRolesFromConfig(
  config: Pick<StagecraftConfig, 'trust'>,
  github: RepositoryClientSource,
  resources: { redis: Redis; keys: StagecraftKeys; logger: Logger },
): GitHubRoles {
  return new GitHubRoles({
    trust: config.trust,
    github,
    maintainerPermissions: config.trust.maintainerPermissions,
    trustOrgMembers: config.trust.orgMembersTrusted,
    cacheTtlMs: config.trust.roleCacheTtl,
    ...resources,
  });
}
