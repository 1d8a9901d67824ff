import type { ExecutorDefinition } from '@stagecraft/executors';
import { HeadsStore } from '@stagecraft/engine';
import { stagecraftKeys } from '@stagecraft/queue';
import { githubAppFromConfig } from '../app/github-app-from-config.js';
import { GitHubAppNotConfiguredError } from '../errors/github-app-not-configured-error.js';
import { githubRolesFromConfig } from '../roles/github-roles-from-config.js';
import { GitHubComposeExecutor } from './github-compose-executor.js';

/** `stages.compose.executor: github`: each configured repository's staging = its main + its ready PRs, merged through the GitHub API. */
export const githubComposeExecutor: ExecutorDefinition = {
  kind: 'github',
  stages: ['compose'],
  create(_stage, { config, logger, redis }) {
    const settings = config.stages.compose;
    if (settings.executor !== 'github') return null;
    const github = githubAppFromConfig(config, logger);
    if (!github) throw new GitHubAppNotConfiguredError();
    const keys = stagecraftKeys(config.redis.prefix);
    return new GitHubComposeExecutor({
      github,
      trust: config.trust,
      roles: githubRolesFromConfig(config, github, { redis: redis(), keys, logger }),
      heads: new HeadsStore(redis(), keys),
      clock: Date.now,
      checkName: config.github.checkName,
    });
  },
};
