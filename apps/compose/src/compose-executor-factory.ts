import { GitHubComposeExecutor, HeadsStore, githubAppFromConfig, githubRolesFromConfig, localExecutorFactory, type ExecutorFactory } from '@stagecraft/engine';
import { GitHubAppNotConfiguredError } from './errors/github-app-not-configured-error.js';

/** compose runs its configured executor: a local command, or composition through the GitHub API. */
export const composeExecutorFactory: ExecutorFactory = (runtime) => {
  const { config, logger } = runtime;
  const stage = config.stages.compose;
  if (stage.executor !== 'github') return localExecutorFactory('compose')(runtime);
  const github = githubAppFromConfig(config, logger);
  if (!github) throw new GitHubAppNotConfiguredError();
  return new GitHubComposeExecutor({
    client: () => github.client(),
    repo: github.repo,
    mainBranch: config.github.mainBranch,
    stagingBranch: config.github.stagingBranch,
    maxAgeMs: stage.maxAge,
    skipLabel: stage.skipLabel,
    trust: config.trust,
    roles: githubRolesFromConfig(config, github, { redis: runtime.redis('client'), keys: runtime.keys, logger }),
    heads: new HeadsStore(runtime.redis('client'), runtime.keys),
    clock: Date.now,
  });
};
